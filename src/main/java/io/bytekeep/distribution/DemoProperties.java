package io.bytekeep.distribution;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the {@code demo} profile's generated keys ({@code bytekeep.demo.*}, see config/application-demo.yaml).
 * Unset values take CWA's demo defaults: 1,000 keys per hour for 14 days from DE.
 */
@Validated
@ConfigurationProperties("bytekeep.demo")
public record DemoProperties(
        @Min(1) @Max(100_000) int keysPerHour,
        @Min(1) @Max(14) int days,
        @NotBlank @Pattern(regexp = "[A-Z]{2}", message = "an ISO 3166 alpha-2 code such as DE") String originCountry,
        long seed) {

    public DemoProperties {
        keysPerHour = keysPerHour == 0 ? 1000 : keysPerHour;
        days = days == 0 ? 14 : days;
        originCountry = originCountry == null ? "DE" : originCountry;
    }
}
