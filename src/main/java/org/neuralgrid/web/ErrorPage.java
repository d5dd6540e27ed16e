package org.neuralgrid.web;

/** The short HTML page a browser gets for an error (the API gets JSON instead). */
final class ErrorPage {
    private ErrorPage() {
    }

    static String html(ApiError error) {
        String title = switch (error.status()) {
            case 401 -> "Access token needed";
            case 403 -> "Forbidden";
            case 404 -> "Not found";
            case 503 -> "Training side unavailable";
            default -> "Error " + error.status();
        };
        return "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>" + title
                + " · NeuralGrid</title><link rel=\"stylesheet\" href=\"/static/app.css\"></head>"
                + "<body class=\"error-page\"><main><h1>" + title + "</h1><p>" + escape(error.message())
                + "</p><p><a href=\"/\">Back to the dashboard</a></p></main></body></html>\n";
    }

    static String escape(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
