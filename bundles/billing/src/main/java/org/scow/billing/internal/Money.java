package org.scow.billing.internal;

import java.math.BigDecimal;
import java.math.RoundingMode;
import org.scow.management.ManagementException;

/** Money is BigDecimal with at most 4 decimals, as the database stores it. */
public final class Money {
    public static final int SCALE = 4;
    private static final BigDecimal MAX = new BigDecimal("1000000000000000"); // fits DECIMAL(19,4)

    private Money() {
    }

    /** A positive amount (payments, charges). */
    public static BigDecimal positive(String field, BigDecimal v) {
        BigDecimal m = amount(field, v);
        if (m.signum() <= 0) {
            throw ManagementException.invalid(field, "must be greater than 0, was " + v.toPlainString());
        }
        return m;
    }

    /** A price: zero or more. */
    public static BigDecimal nonNegative(String field, BigDecimal v) {
        BigDecimal m = amount(field, v);
        if (m.signum() < 0) {
            throw ManagementException.invalid(field, "must not be negative, was " + v.toPlainString());
        }
        return m;
    }

    /** Any amount with at most 4 decimals (thresholds may be negative: credit). */
    public static BigDecimal amount(String field, BigDecimal v) {
        if (v == null) {
            throw ManagementException.invalid(field, "is required");
        }
        BigDecimal s = v.stripTrailingZeros();
        if (s.scale() > SCALE) {
            throw ManagementException.invalid(field, "has more than " + SCALE + " decimals: " + v.toPlainString());
        }
        if (s.abs().compareTo(MAX) >= 0) {
            throw ManagementException.invalid(field, "is too large: " + v.toPlainString());
        }
        return v.setScale(SCALE, RoundingMode.UNNECESSARY);
    }

    /**
     * 400 when adding {@code delta} to {@code balance} would leave the range the database stores: the request is
     * refused before the write, instead of failing in the database as a server error.
     */
    public static void checkSum(String field, String what, BigDecimal balance, BigDecimal delta) {
        if (balance.add(delta).abs().compareTo(MAX) >= 0) {
            throw ManagementException.invalid(field, "would take the balance of " + what + " beyond the largest "
                    + "amount the platform stores (" + MAX.subtract(BigDecimal.ONE.movePointLeft(SCALE)).toPlainString()
                    + ")");
        }
    }

    public static BigDecimal of(String s) {
        return new BigDecimal(s).setScale(SCALE, RoundingMode.UNNECESSARY);
    }

    public static BigDecimal zero() {
        return BigDecimal.ZERO.setScale(SCALE);
    }
}
