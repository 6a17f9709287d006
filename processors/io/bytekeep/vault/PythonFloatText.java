package io.bytekeep.vault;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.time.Instant;

/**
 * Formats a double the way Python's {@code repr(float)} / {@code str(float)} does: the shortest decimal
 * that reads back as the same double, in fixed notation for exponents -4..15 and scientific outside.
 * Bytes hashes {@code str(ended_at.timestamp())}, so the proof hash depends on this text byte for byte;
 * Java's {@code Double.toString} gives "1.6409952E9" where Python gives "1640995200.0".
 */
public final class PythonFloatText {

    private PythonFloatText() {
    }

    /** {@code str(dt.timestamp())} of an aware Python datetime: microsecond precision, correctly rounded. */
    public static String ofTimestamp(Instant instant) {
        long micros = Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000L), instant.getNano() / 1_000);
        return of(BigDecimal.valueOf(micros).movePointLeft(6).doubleValue());
    }

    public static String of(double value) {
        if (Double.isNaN(value)) {
            return "nan";
        }
        if (Double.isInfinite(value)) {
            return value > 0 ? "inf" : "-inf";
        }
        if (value == 0.0) {
            return (1 / value < 0) ? "-0.0" : "0.0";
        }
        BigDecimal shortest = shortestRoundTrip(value);
        String sign = shortest.signum() < 0 ? "-" : "";
        BigDecimal magnitude = shortest.abs();
        String digits = magnitude.unscaledValue().toString();
        // strip trailing zeros of the digit string, keep the decimal exponent consistent
        int trailing = 0;
        while (digits.length() - trailing > 1 && digits.charAt(digits.length() - 1 - trailing) == '0') {
            trailing++;
        }
        digits = digits.substring(0, digits.length() - trailing);
        int scale = magnitude.scale() - trailing;
        // value = digits * 10^-scale; decimal point position relative to the digit string
        int decimalPoint = digits.length() - scale;
        int exponent = decimalPoint - 1;
        if (exponent < -4 || exponent >= 16) {
            String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
            String exp = (exponent < 0 ? "-" : "+") + String.format("%02d", Math.abs(exponent));
            return sign + mantissa + "e" + exp;
        }
        String text;
        if (decimalPoint <= 0) {
            text = "0." + "0".repeat(-decimalPoint) + digits;
        } else if (decimalPoint >= digits.length()) {
            text = digits + "0".repeat(decimalPoint - digits.length()) + ".0";
        } else {
            text = digits.substring(0, decimalPoint) + "." + digits.substring(decimalPoint);
        }
        return sign + text;
    }

    private static BigDecimal shortestRoundTrip(double value) {
        BigDecimal exact = new BigDecimal(value);
        for (int precision = 1; precision <= 17; precision++) {
            BigDecimal candidate = exact.round(new MathContext(precision, RoundingMode.HALF_EVEN));
            if (candidate.doubleValue() == value) {
                return candidate;
            }
        }
        return exact.round(new MathContext(17, RoundingMode.HALF_EVEN));
    }
}
