package io.bytekeep.distribution;

import java.time.Instant;
import java.time.LocalDate;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class DistributionTimeSlotsTest {

    @Test
    void hoursSinceTheEpochAndBack() {
        long hour = DistributionTimeSlots.hourOf(Instant.parse("2020-06-05T05:59:59Z"));
        assertThat(hour).isEqualTo(Instant.parse("2020-06-05T05:00:00Z").getEpochSecond() / 3600);
        assertThat(DistributionTimeSlots.dateOf(hour)).isEqualTo(LocalDate.of(2020, 6, 5));
        assertThat(DistributionTimeSlots.hourOfDay(hour)).isEqualTo(5);
        assertThat(DistributionTimeSlots.hourOf(LocalDate.of(2020, 6, 5), 5)).isEqualTo(hour);
        assertThat(DistributionTimeSlots.startOf(hour)).isEqualTo(Instant.parse("2020-06-05T05:00:00Z"));
        assertThat(DistributionTimeSlots.startEpochSecond(hour)).isEqualTo(1591333200L);
        assertThat(DistributionTimeSlots.endEpochSecond(hour)).isEqualTo(1591336800L);
        assertThat(DistributionTimeSlots.firstHourOf(LocalDate.of(2020, 6, 5))).isEqualTo(hour - 5);
    }

    @Test
    void cdnPaths() {
        assertThat(DistributionTimeSlots.hourPath(TestKeys.hour("2020-06-05T05:30:00Z")))
                .isEqualTo("date/2020-06-05/hour/5");
        assertThat(DistributionTimeSlots.hourPath(TestKeys.hour("2020-06-05T00:00:00Z")))
                .isEqualTo("date/2020-06-05/hour/0");
        assertThat(DistributionTimeSlots.hourPath(TestKeys.hour("2020-12-31T23:00:00Z")))
                .isEqualTo("date/2020-12-31/hour/23");
        assertThat(DistributionTimeSlots.datePath(LocalDate.of(2020, 1, 2))).isEqualTo("date/2020-01-02");
    }

    @Test
    void rollingIntervals() {
        assertThat(DistributionTimeSlots.tenMinuteIntervalOf(Instant.parse("2020-06-01T00:09:59Z")))
                .isEqualTo(TestKeys.JUNE_FIRST_INTERVAL);
        assertThat(DistributionTimeSlots.tenMinuteIntervalOf(Instant.parse("2020-06-01T00:10:00Z")))
                .isEqualTo(TestKeys.JUNE_FIRST_INTERVAL + 1);
    }
}
