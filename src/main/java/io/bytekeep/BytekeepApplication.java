package io.bytekeep;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

@SpringBootApplication
@ConfigurationPropertiesScan
public class BytekeepApplication {

    public static void main(String[] args) {
        SpringApplication.run(BytekeepApplication.class, args);
    }
}
