package io.bytekeep;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

import io.bytekeep.platform.embedded.H2ProcessSettings;

@SpringBootApplication
@ConfigurationPropertiesScan
public class BytekeepApplication {

    public static void main(String[] args) {
        H2ProcessSettings.applyUnlessGiven();
        SpringApplication.run(BytekeepApplication.class, args);
    }
}
