package io.bytekeep.vault;

import java.time.Instant;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/** Expected values are what CPython 3.11 prints for str(float) and str(datetime.timestamp()). */
class PythonFloatTextTest {

    @ParameterizedTest
    @CsvSource({
            "1640995200.0, 1640995200.0",
            "1640995200.5, 1640995200.5",
            "1683356889.123456, 1683356889.123456",
            "0.1, 0.1",
            "0.3, 0.3",
            "1e16, 1e+16",
            "1.5e16, 1.5e+16",
            "9999999999999998.0, 9999999999999998.0",
            "0.0001, 0.0001",
            "0.00001, 1e-05",
            "123456789012345678, 1.2345678901234568e+17",
            "-2.5, -2.5",
            "100.0, 100.0",
            "5e-324, 5e-324",
            "1.7976931348623157e308, 1.7976931348623157e+308"})
    void matchesPythonRepr(double value, String python) {
        assertThat(PythonFloatText.of(value)).isEqualTo(python);
    }

    @ParameterizedTest
    @CsvSource({
            "2022-01-01T00:00:00Z, 1640995200.0",
            "2023-05-06T07:08:09.123456Z, 1683356889.123456",
            "2021-03-04T05:06:07.1Z, 1614834367.1",
            "2024-02-29T23:59:59.999999Z, 1709251199.999999",
            "1970-01-01T00:00:00.000001Z, 1e-06",
            "2022-01-01T00:00:00.000001Z, 1640995200.000001"})
    void timestampsAsPythonDatetimeTimestamp(String instant, String python) {
        assertThat(PythonFloatText.ofTimestamp(Instant.parse(instant))).isEqualTo(python);
    }

    @ParameterizedTest
    @CsvSource({"2022-01-01T00:00:00Z", "2023-05-06T07:08:09.123456Z"})
    void differsFromJavasDoubleToString(String instant) {
        assertThat(Double.toString(Instant.parse(instant).getEpochSecond() * 1.0)).contains("E9");
        assertThat(PythonFloatText.ofTimestamp(Instant.parse(instant))).doesNotContain("E");
    }
}
