package org.scow.rest.support;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Consumer;
import javax.ws.rs.core.Response;
import javax.ws.rs.core.StreamingOutput;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/**
 * RFC 4180 CSV downloads (header row, CRLF, quoting by Commons CSV), written while the rows are read. Text cells that a
 * spreadsheet would run as a formula (starting with = + - @, tab or CR) get a leading apostrophe; numbers stay numbers.
 */
public final class Csv {
    public static final String TYPE = "text/csv";

    /** Writes the rows it is given; called once, on the response stream. */
    public interface Rows {
        void write(Consumer<List<?>> out);
    }

    private Csv() {
    }

    /** True for {@code format=csv}; null or {@code json} means JSON; anything else is a 400. */
    public static boolean requested(String format) {
        if (format == null || format.isBlank() || format.trim().equalsIgnoreCase("json")) {
            return false;
        }
        if (format.trim().equalsIgnoreCase("csv")) {
            return true;
        }
        throw ApiException.badField("format", "must be json or csv, was '" + format + "'");
    }

    public static Response response(String filename, List<String> header, Rows rows) {
        StreamingOutput body = stream -> write(stream, header, rows);
        return Response.ok(body, TYPE + "; charset=UTF-8")
                .header("Content-Disposition", "attachment; filename=\"" + filename + "\"").build();
    }

    static void write(OutputStream stream, List<String> header, Rows rows) throws IOException {
        BufferedWriter w = new BufferedWriter(new OutputStreamWriter(stream, StandardCharsets.UTF_8));
        try (CSVPrinter p = new CSVPrinter(w, CSVFormat.RFC4180.builder()
                .setHeader(header.toArray(String[]::new)).build())) {
            rows.write(r -> {
                try {
                    p.printRecord(r.stream().map(Csv::cell).toList());
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }

    /** A cell as written: text that starts like a formula is neutralised (OWASP's CSV injection advice). */
    static Object cell(Object value) {
        if (value instanceof CharSequence text && !text.isEmpty() && "=+-@\t\r".indexOf(text.charAt(0)) >= 0) {
            return "'" + text;
        }
        return value;
    }
}
