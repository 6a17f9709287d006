package io.bytekeep.distribution;

/** How a diagnosis was established; the numbers are those of {@code TemporaryExposureKey.ReportType} in export.proto. */
public enum ReportType {
    UNKNOWN(0),
    CONFIRMED_TEST(1),
    CONFIRMED_CLINICAL_DIAGNOSIS(2),
    SELF_REPORT(3),
    RECURSIVE(4),
    REVOKED(5);

    private final int number;

    ReportType(int number) {
        this.number = number;
    }

    /** The protobuf enum number. */
    public int number() {
        return number;
    }

    /** The report type of a protobuf enum number; unknown numbers are {@link #UNKNOWN}. */
    public static ReportType ofNumber(int number) {
        for (ReportType type : values()) {
            if (type.number == number) {
                return type;
            }
        }
        return UNKNOWN;
    }
}
