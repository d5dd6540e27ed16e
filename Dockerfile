# Build stage: Maven on a JDK; the tests run in CI, not here.
FROM maven:3.9-eclipse-temurin-25 AS build
WORKDIR /src
COPY pom.xml .
RUN mvn -B -ntp -q dependency:go-offline
COPY src ./src
RUN mvn -B -ntp -q package -DskipTests

# Runtime stage: a JRE and the jar. The Java backend uses the Vector API (an incubator module).
FROM eclipse-temurin:25-jre
# The OpenCL ICD loader, and an ICD file naming NVIDIA's driver library, which `docker run --gpus all` mounts
# (with the compute capability) from the host; without a GPU, auto trains on the Java backend.
RUN apt-get update && apt-get install -y --no-install-recommends ocl-icd-libopencl1 && rm -rf /var/lib/apt/lists/* \
    && mkdir -p /etc/OpenCL/vendors && echo libnvidia-opencl.so.1 > /etc/OpenCL/vendors/nvidia.icd
ENV NVIDIA_DRIVER_CAPABILITIES=compute,utility
# Signal chaining: the JVM keeps its own signal handlers when the OpenCL driver's kernel compiler installs its own
# (without it, the JVM can die without a report; see SignalChaining in the sources)
ENV LD_PRELOAD=/opt/java/openjdk/lib/libjsig.so
RUN useradd --system --home /data neuralgrid && mkdir -p /data && chown neuralgrid /data
COPY --from=build /src/target/neuralgrid.jar /opt/neuralgrid/neuralgrid.jar
USER neuralgrid
WORKDIR /data
VOLUME /data
# 8080: the dashboard's HTTP. With --cluster: 5701 Hazelcast's member port (--cluster-port) and 5702 the event
# bus (--cluster-bus-port 5702; give it, the default is any free port); compose.yaml uses these
EXPOSE 8080 5701 5702
# One image for both roles: the command picks it. The default CMD is the dashboard (listening on all interfaces
# inside the container needs a token: docker run -e NEURALGRID_TOKEN=...); `worker --cluster --cluster-host IP
# --cluster-members DASHBOARD:5701 --data-dir /data ...` as the command makes a training node (no HTTP).
# java -jar needs nothing more for the cluster: the jar's manifest carries the Add-Opens and Add-Exports that
# Hazelcast asks for, and with the Vector API and libjsig.so (LD_PRELOAD above) already here the JVM does not start
# itself again, so it is PID 1 and gets docker stop's SIGTERM itself.
ENTRYPOINT ["java", "--add-modules", "jdk.incubator.vector", "-jar", "/opt/neuralgrid/neuralgrid.jar"]
CMD ["serve", "--host", "0.0.0.0", "--port", "8080", "--data-dir", "/data"]
