package org.scow.apps.internal;

/** An app definition file is invalid; the message names the file and the field. */
public class DefinitionException extends Exception {
    private static final long serialVersionUID = 1L;

    private final String file;
    private final String field;

    public DefinitionException(String file, String field, String problem) {
        super(file + ": " + (field == null || field.isEmpty() ? "" : field + ": ") + problem);
        this.file = file;
        this.field = field;
    }

    public String file() {
        return file;
    }

    public String field() {
        return field;
    }
}
