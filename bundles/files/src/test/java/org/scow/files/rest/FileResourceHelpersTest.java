package org.scow.files.rest;

import org.scow.files.internal.FileEntry;
import org.scow.files.internal.RemotePaths;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import org.junit.Test;
import org.scow.rest.support.ApiException;

public class FileResourceHelpersTest {
    @Test
    public void pathsMustBeAbsoluteWithoutDotSegmentsOrNul() {
        assertEquals("/home/alice/x", RemotePaths.check("path", "/home//alice/x/"));
        assertEquals("/", RemotePaths.check("path", "/"));
        for (String bad : new String[] {"", "home", "/home/../etc", "/a/./b", "/a\0b"}) {
            ApiException e = assertThrows(ApiException.class, () -> RemotePaths.check("path", bad));
            assertEquals(400, e.status());
        }
        assertEquals("/home", RemotePaths.parent("/home/alice"));
        assertEquals("/", RemotePaths.parent("/home"));
        assertEquals("alice", RemotePaths.name("/home/alice"));
    }

    @Test
    public void uploadIdsNameTheTargetAndSizeAndRefuseForgery() {
        String id = FileResource.uploadId("/home/alice/big file.bin", 123);
        FileResource.Upload u = FileResource.decode(id);
        assertEquals("/home/alice/big file.bin", u.path());
        assertEquals(123, u.size());
        assertEquals(404, assertThrows(ApiException.class, () -> FileResource.decode("not-an-id")).status());
        String dotted = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString("5:/a/../b".getBytes());
        assertEquals(400, assertThrows(ApiException.class, () -> FileResource.decode(dotted)).status());
        String temp = FileResource.tempPath("/home/alice/big file.bin", id);
        assertTrue(temp, temp.startsWith("/home/alice/.big file.bin.scow-upload-"));
    }

    @Test
    public void ranges() {
        assertArrayEquals(new long[] {0, 9}, FileResource.range("0-9", 100));
        assertArrayEquals(new long[] {90, 99}, FileResource.range("90-", 100));
        assertArrayEquals(new long[] {95, 99}, FileResource.range("-5", 100));
        assertArrayEquals(new long[] {10, 99}, FileResource.range("10-500", 100));
        assertNull(FileResource.range("100-", 100));
        assertNull(FileResource.range("x-y", 100));
    }

    @Test
    public void previewsNeverServeActiveContent() {
        assertEquals("image/png", FileResource.previewType("a.PNG"));
        assertEquals("text/plain;charset=UTF-8", FileResource.previewType("index.html"));
        assertEquals("text/plain;charset=UTF-8", FileResource.previewType("logo.svg"));
        assertEquals("attachment; filename=\"r_sum_.txt\"; filename*=UTF-8''r%C3%A9sum%C3%A9.txt",
                FileResource.disposition(false, "résumé.txt"));
        assertEquals("rwxr-x---", FileEntry.mode(0750));
    }
}
