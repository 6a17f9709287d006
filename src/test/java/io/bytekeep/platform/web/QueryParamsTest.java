package io.bytekeep.platform.web;

import java.util.List;
import java.util.UUID;

import org.apache.camel.Message;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

import io.bytekeep.platform.Problem;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class QueryParamsTest {

    private final Message message = new DefaultExchange(new DefaultCamelContext()).getIn();
    private final QueryParams params = new QueryParams(message);

    @Test
    void repeatedParametersAreLists() {
        message.setHeader("organization", List.of("a", "b"));
        message.setHeader("boefje_id", "dns");
        assertThat(params.list("organization")).containsExactly("a", "b");
        assertThat(params.list("boefje_id")).containsExactly("dns");
        assertThat(params.list("missing")).isEmpty();
        assertThat(params.string("organization")).isEqualTo("a");
    }

    @Test
    void typedValuesAreCheckedAnd422WhenWrong() {
        UUID id = UUID.randomUUID();
        message.setHeader("id", id.toString());
        message.setHeader("limit", "7");
        message.setHeader("bad", "seven");
        message.setHeader("flag", "false");
        assertThat(params.uuid("id")).isEqualTo(id);
        assertThat(params.integer("limit", 1, 0, 10)).isEqualTo(7);
        assertThat(params.integer("absent", 1, 0, 10)).isEqualTo(1);
        assertThat(params.bool("flag")).isFalse();
        assertThat(params.bool("absent")).isNull();
        assertThatThrownBy(() -> params.integer("bad", 1, 0, 10)).isInstanceOfSatisfying(Problem.class, p -> assertThat(p.status()).isEqualTo(422));
        assertThatThrownBy(() -> params.integer("limit", 1, 0, 5)).isInstanceOf(Problem.class);
        assertThatThrownBy(() -> params.uuid("bad")).isInstanceOf(Problem.class);
        assertThatThrownBy(() -> params.bool("bad")).isInstanceOf(Problem.class);
        assertThatThrownBy(() -> params.requiredUuid("absent")).isInstanceOf(Problem.class);
    }
}
