# Bytekeep's container image: the service jar, which carries its configuration defaults and route files.
#   ./mvnw -DskipTests package && docker build -t bytekeep .
# Run it with the prod profile's settings (README "Production mode"); mount your own route files and point
# BYTEKEEP_ROUTES_DIR at them to re-wire the routes without a rebuild (docker-compose.yml does).
FROM eclipse-temurin:17-jre
RUN useradd --system --uid 10001 --home-dir /var/lib/bytekeep --create-home bytekeep
COPY target/bytekeep-*-SNAPSHOT.jar /opt/bytekeep/bytekeep.jar
USER bytekeep
WORKDIR /var/lib/bytekeep
# spool files of bodies in transit (and, in the embedded default, everything else); owner-only
ENV BYTEKEEP_DATA_DIR=/var/lib/bytekeep
EXPOSE 8002
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-jar", "/opt/bytekeep/bytekeep.jar"]
