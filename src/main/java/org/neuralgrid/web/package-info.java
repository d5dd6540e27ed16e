/**
 * The dashboard's web side: {@link org.neuralgrid.web.Dashboard} (the training verticle plus
 * {@link org.neuralgrid.web.HttpVerticle}), its {@link org.neuralgrid.web.ServerOptions}, and the WebSocket fan-out
 * {@link org.neuralgrid.web.RunStream}. It knows nothing of kernels or the store: every question goes over the
 * event bus ({@link org.neuralgrid.bus.RunBus}).
 *
 * <h2>Routes</h2>
 * <pre>
 * GET    /health                        {"status":"ok"}                      (open, also with a token)
 * GET    /static/*                      webapp/static on the classpath       (open)
 * GET    /webjars/*                     META-INF/resources/webjars           (open; chart.js at
 *                                       /webjars/chart.js/4.5.1/dist/chart.umd.js)
 * GET    /                              page: runs, new-run form              (webapp/templates/index.html)
 * GET    /runs/:id                      page: one run                         (run.html; 404 page for others)
 * GET    /compare?ids=a,b,c             page: runs side by side               (compare.html; at most 12)
 * GET    /ws/runs/:id                   WebSocket (below)
 * POST   /api/runs                      {"name"?, "config": {...}} or the config fields at the top level beside
 *                                       "name" → 201 {"id"}, Location: /api/runs/{id}
 * GET    /api/runs                      {"runs": [summary, ...]} newest first
 * GET    /api/runs/:id                  summary + "config"
 * DELETE /api/runs/:id                  204
 * GET    /api/runs/:id/config           the run's configuration
 * GET    /api/runs/:id/metrics          {"id", "epochs": [...]}; ?format=csv: epoch,train_loss,train_accuracy,
 *                                       test_loss,test_accuracy,learning_rate,seconds,samples_per_second
 * POST   /api/runs/:id/cancel           summary (409 unless queued or running)
 * POST   /api/runs/:id/resume           summary (409 unless interrupted, cancelled or failed with a checkpoint)
 * GET    /api/runs/:id/heatmaps/:epoch  application/octet-stream: a HeatmapFrame; ?kind=mean (default), std,
 *                                       contrast, weights or biases (400 another, 404 one the run has no frame
 *                                       of); ?format=npy (float32 (maps, layers, rows, cols)) or ?format=csv
 *                                       (map,layer,row,col,value): the frame's dequantised numbers, attachment
 * GET    /api/runs/:id/weights          application/octet-stream, attachment
 *                                       "neuralgrid-{id}-{H}x{W}.safetensors"
 * GET    /api/devices                   {"devices": [{"backend","name","available","note"}]}
 * GET    /api/datasets                  {"fashionMnist": {"present","fetching","message","fraction"}}
 * GET    /api/nodes                     {"nodes": [{"node","role","host","started","devices","lastSeen","health",
 *                                       "self", "runs"?, "draining"?}]}: the cluster's nodes (NodeBus LIST), the
 *                                       dashboard alone without --cluster
 * POST   /api/nodes/:node/drain         {"drain": true|false} → the worker's announcement: it finishes its runs and
 *                                       takes no more, or takes runs again (404 for no such worker)
 * POST   /api/config/check              a POST /api/runs body → {"errors": [...], "grid", "parameters",
 *                                       "estimatedBytes"}: what a start would say, without starting
 * POST   /api/sweeps                    a sweep (see RunBus SWEEP_START) → 201 {"id", "runs"},
 *                                       Location: /api/sweeps/{id}; 400 naming every bad point
 * POST   /api/sweeps/check              a POST /api/sweeps body → {"errors", "fields", "points", "runs",
 *                                       "estimatedSeconds"}
 * GET    /api/sweeps                    {"sweeps": [sweep summary, ...]} newest first
 * GET    /api/sweeps/:id                sweep summary + "spec", "runs", "points" (RunBus SWEEP_GET)
 * DELETE /api/sweeps/:id                204: its runs deleted (running ones cancelled first), then the sweep
 * POST   /api/sweeps/:id/cancel         sweep summary (its queued and running runs cancelled)
 * POST   /api/sweeps/:id/resume         sweep summary (its stopped runs queued again; 409 when none can be)
 * GET    /api/sweeps/:id/export         ?format=json (default) or csv: the whole sweep (configs and per-epoch
 *                                       metrics), attachment "neuralgrid-sweep-{id}.json|csv"
 * GET    /sweeps/:id                    page: one sweep, live                 (sweep.html; 404 page for others)
 * </pre>
 * The HTTP verticle wires the rooms: {@link org.neuralgrid.web.HostFilter}, {@link org.neuralgrid.web.TokenFilter}
 * and {@link org.neuralgrid.web.OriginFilter} (access), {@link org.neuralgrid.web.DashboardPages} (the pages and
 * their data), {@link org.neuralgrid.web.RunsApi} (a sub-router under /api that checks the run id of every
 * {@code /runs/:id} route once), {@link org.neuralgrid.web.RunStream} (the WebSocket) and
 * {@link org.neuralgrid.web.Replies} (every failure as JSON or an error page).
 * Errors are JSON everywhere under /api and /ws: {@code {"error": "..."}}, or for bad input
 * {@code {"errors": [{"field", "message"}]}} (a configuration: one entry per bad field; a body that is not a
 * JSON object: field "body"). 400 bad input, 401 no or wrong token, 403 foreign origin or host, 404 unknown run or
 * an id that is not of the run-id form (checked before anything else), 405, 409 not in this state, 413 a body
 * over 64 KiB, 500, 503 the training side did not answer (15 s; 60 s for weights and delete) or is not running.
 * Pages answer the same statuses with a short HTML page.
 *
 * <h2>Access</h2>
 * Without a token the server binds loopback only ({@link org.neuralgrid.web.ServerOptions} refuses anything else)
 * and answers only requests whose Host is a loopback name (a DNS-rebinding guard). With a token every page, API
 * route and WebSocket needs it: {@code Authorization: Bearer <t>}, the {@code neuralgrid_token} cookie, or
 * {@code ?token=<t>}; a page opened with a correct {@code ?token=} sets the cookie (HttpOnly, SameSite=Strict,
 * Path=/). Tokens are compared in constant time. In both cases requests that change something (POST, DELETE)
 * and WebSocket upgrades that carry an Origin header must come from the dashboard's own origin.
 *
 * <h2>The WebSocket {@code /ws/runs/:id}</h2>
 * The token and the run are checked before the upgrade (401, 404). Then the client receives
 * <ol>
 * <li>text {@code {"type":"state","run":{summary + "config"},"epochs":[epoch metrics so far]}};</li>
 * <li>binary: the newest heatmap frame of each kind (those of the summary's epoch) that the run has;</li>
 * <li>live: text frames with the run's {@link org.neuralgrid.bus.RunBus#events} as published
 *     ({@code "type"}: {@code "status"} and {@code "summary"} (the summary), {@code "progress"}, {@code "epoch"}),
 *     and binary frames
 *     with its heatmaps ({@link org.neuralgrid.io.HeatmapFrame}, every kind after every epoch).</li>
 * </ol>
 * Events published while the snapshot is read are sent after it, without the epochs the snapshot holds. If the
 * snapshot cannot be read (say the run was deleted meanwhile) the client gets
 * {@code {"type":"error","status","message"}} and a close with code 4000 + status (4404, 4503, ...). What the
 * client sends is ignored. Slow clients: status and epoch frames are always written (a client that lets 512 of
 * them pile up in a full write queue is closed with 1008); progress frames are dropped while the write queue is
 * full; heatmaps wait, at most one per client and the newest winning, until the queue drains. One pair of
 * event-bus consumers serves all the viewers of a run, from the first viewer to the last.
 */
package org.neuralgrid.web;
