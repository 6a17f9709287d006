package io.bytekeep.platform;

import java.io.StringReader;
import java.util.Properties;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class GeneratedSecretsTest {

    @Test
    void secretsAreWrittenSoThatGrepAndCutReadThemAsPropertiesDo() throws Exception {
        Properties secrets = new Properties();
        secrets.setProperty("kek-key-b64", "q83vASNFZ4mrze8BI0VniavN7wEjRWeJq83vASNFZ4k=");
        secrets.setProperty("password", "0a1b2c");

        String text = GeneratedSecrets.text(secrets);

        assertThat(text).contains("\nkek-key-b64=q83vASNFZ4mrze8BI0VniavN7wEjRWeJq83vASNFZ4k=\n").doesNotContain("\\");
        // what grep '^kek-key-b64=' | cut -d= -f2- prints
        String line = text.lines().filter(l -> l.startsWith("kek-key-b64=")).findFirst().orElseThrow();
        assertThat(line.substring(line.indexOf('=') + 1)).isEqualTo(secrets.getProperty("kek-key-b64"));
        assertThat(reread(text)).isEqualTo(secrets);
    }

    @Test
    void aValueSomeoneWroteThatNeedsEscapingKeepsPropertiesForm() throws Exception {
        Properties secrets = new Properties();
        secrets.setProperty("password", "my pass:word\\");

        assertThat(reread(GeneratedSecrets.text(secrets))).isEqualTo(secrets);
    }

    private static Properties reread(String text) throws Exception {
        Properties read = new Properties();
        read.load(new StringReader(text));
        return read;
    }
}
