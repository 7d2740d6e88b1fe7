# One image recipe for every Duban service; the build argument SERVICE chooses which. Build from the
# repository root, which is the build context:
#   docker build --build-arg SERVICE=task-service -t duban/task-service .
# (docker-compose.yml does the same for each service.)
ARG SERVICE=task-service

# --- build: the Maven reactor needs the parent pom and every module's pom, even though only
# the service and what it depends on (duban-common; duban-test-support and duban-local-postgres for its
# test classpath) are built.
FROM maven:3.9-eclipse-temurin-17 AS build
ARG SERVICE
WORKDIR /build
COPY pom.xml ./
COPY duban-local-postgres/pom.xml duban-local-postgres/
COPY duban-common/pom.xml duban-common/
COPY duban-test-support/pom.xml duban-test-support/
COPY task-service/pom.xml task-service/
COPY notification-service/pom.xml notification-service/
COPY report-service/pom.xml report-service/
COPY bench/pom.xml bench/
COPY system-tests/pom.xml system-tests/
COPY db/init-roles.sql db/
COPY dev/jwt/publicKey.pem dev/jwt/
COPY duban-local-postgres/src duban-local-postgres/src
COPY duban-common/src duban-common/src
COPY duban-test-support/src duban-test-support/src
COPY task-service/src task-service/src
COPY notification-service/src notification-service/src
COPY report-service/src report-service/src
COPY bench/src bench/src
RUN mvn -B -q -pl ${SERVICE} -am package -DskipTests

# --- runtime: the Quarkus fast-jar layout, run as an unprivileged user. Its numeric id (10001) is the
# one Kubernetes' runAsUser names (deploy/k8s): runAsNonRoot can only check a numeric user.
FROM eclipse-temurin:17-jre
ARG SERVICE
RUN groupadd --system --gid 10001 duban && useradd --system --uid 10001 --gid duban --no-create-home duban
WORKDIR /deployments
COPY --from=build /build/${SERVICE}/target/quarkus-app/lib/ /deployments/lib/
COPY --from=build /build/${SERVICE}/target/quarkus-app/*.jar /deployments/
COPY --from=build /build/${SERVICE}/target/quarkus-app/app/ /deployments/app/
COPY --from=build /build/${SERVICE}/target/quarkus-app/quarkus/ /deployments/quarkus/
USER 10001:10001
# task-service listens on 8081, notification-service on 8082, report-service on 8083.
EXPOSE 8081 8082 8083
# The heap bound: without one a JVM takes a quarter of the host's memory and keeps it. Override
# JDK_JAVA_OPTIONS to change it (run-local.sh uses the same default; ComposeFileTest keeps them equal);
# configuration goes in QUARKUS_*/DUBAN_* env vars. TrimNativeHeapInterval hands the C heap that the
# JVM has freed back to the system every 5 s: 40 MiB less RSS under load (bench/results.md, "Native heap trim").
ENV JDK_JAVA_OPTIONS="-Xmx160m -XX:+UseSerialGC -XX:TrimNativeHeapInterval=5000 -XX:+ExitOnOutOfMemoryError"
ENTRYPOINT ["java", "-Dquarkus.http.host=0.0.0.0", "-Djava.util.logging.manager=org.jboss.logmanager.LogManager", "-jar", "/deployments/quarkus-run.jar"]
