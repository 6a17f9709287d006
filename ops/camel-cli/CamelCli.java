/**
 * The Camel CLI (Camel JBang's commands) without JBang: {@code java -cp "$(cat target/camel-cli.classpath)"
 * ops/camel-cli/CamelCli.java get route}; see ops/camel-cli/README.md.
 */
public class CamelCli {
    public static void main(String[] args) {
        org.apache.camel.dsl.jbang.core.commands.CamelJBangMain.run(args);
    }
}
