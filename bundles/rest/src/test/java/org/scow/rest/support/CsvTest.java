package org.scow.rest.support;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.Test;

public class CsvTest {
    private static String csv(List<?>... rows) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Csv.write(out, List.of("a", "b", "c"), sink -> Arrays.stream(rows).forEach(sink));
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    public void quotesAndLineEndsFollowRfc4180() throws Exception {
        assertEquals("a,b,c\r\nx,\"1,5\",\"say \"\"hi\"\"\"\r\n", csv(List.of("x", "1,5", "say \"hi\"")));
    }

    @Test
    public void formulaLikeTextIsNeutralisedButNumbersAreNot() throws Exception {
        String out = csv(List.of("=HYPERLINK(\"http://x\")", "@SUM(A1)", new BigDecimal("-12.50")),
                List.of("+1", "-2+3", "\tcmd"));
        assertTrue(out, out.contains("\"'=HYPERLINK(\"\"http://x\"\")\""));
        assertTrue(out, out.contains("'@SUM(A1)"));
        assertTrue(out, out.contains(",-12.50\r\n"));
        assertTrue(out, out.contains("'+1,'-2+3,"));
        assertFalse(out, out.contains(",=") || out.contains(",@"));
    }

    @Test
    public void emptyAndNullCellsStayEmpty() throws Exception {
        // Commons CSV quotes an empty first cell so that the record is not read as a blank line
        assertEquals("a,b,c\r\n\"\",,\r\n", csv(Arrays.asList("", null, "")));
    }

    @Test
    public void onlyJsonOrCsvIsAFormat() {
        assertTrue(Csv.requested(" CSV "));
        assertFalse(Csv.requested(null));
        assertFalse(Csv.requested("json"));
        try {
            Csv.requested("xlsx");
            fail("accepted xlsx");
        } catch (ApiException e) {
            assertEquals(400, e.status());
        }
    }
}
