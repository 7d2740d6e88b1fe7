# syntax=docker/dockerfile:1
# One image recipe for every Duban service; the build argument SERVICE chooses which. Build from the
# repository root, which is the build context:
#   docker build --build-arg SERVICE=task-service -t duban/task-service .
# (docker-compose.yml does the same for each service.)
ARG SERVICE=task-service

# --- build: the Maven reactor needs the parent pom and every module's pom, even though only
# the service and what it depends on (duban-common; duban-test-support and duban-local-postgres for its
# test classpath) are built.
FROM maven:3.9-eclipse-temurin-25 AS build
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
# The service (the build packages it in Quarkus's aot-jar layout too, target/quarkus-aot: every class on
# the application class path, where the JDK's AOT cache can hold it), and the bench module, whose
# AotTraining records that cache below. The Maven repository lives under /build so that the training
# step can read it (as user 10001) through a bind mount.
RUN mvn -B -q -Dmaven.repo.local=/build/.m2 -pl ${SERVICE},bench -am package -DskipTests

# --- runtime: Java 25 with the service's AOT cache, run as an unprivileged user. Its numeric id (10001)
# is the one Kubernetes' runAsUser names (deploy/k8s): runAsNonRoot can only check a numeric user.
FROM eclipse-temurin:25-jre
ARG SERVICE
RUN groupadd --system --gid 10001 duban && useradd --system --uid 10001 --gid duban --no-create-home duban
WORKDIR /deployments
COPY --from=build /build/${SERVICE}/target/quarkus-aot/ /deployments/
# task-service listens on 8081, notification-service on 8082, report-service on 8083.
EXPOSE 8081 8082 8083
# The heap bound: without one a JVM takes a quarter of the host's memory and keeps it. Override
# JDK_JAVA_OPTIONS to change it (run-local.sh uses the same default; ComposeFileTest keeps them equal);
# configuration goes in QUARKUS_*/DUBAN_* env vars. -Xmn32m keeps the young generation, which every
# request's garbage cycles through and so stays resident, at 32 MiB (the collector's default is a third of
# the heap): 25 MiB less RSS under load at the same throughput (bench/results.md, "Java 25 and its AOT
# cache as the product's runtime"). TrimNativeHeapInterval hands the C heap that the JVM has freed back
# to the system every 5 s: 40 MiB less RSS under load (bench/results.md, "Native heap trim").
# --enable-native-access=ALL-UNNAMED: HTTP compression's brotli4j loads its native library, which Java 24+
# warns about at every start and says it will block; the AOT cache records the flag, so training and start
# must both have it (they do: this line comes first).
ENV JDK_JAVA_OPTIONS="-Xmx160m -Xmn32m -XX:+UseSerialGC -XX:TrimNativeHeapInterval=5000 -XX:+ExitOnOutOfMemoryError --enable-native-access=ALL-UNNAMED"
# The AOT cache (bench/README.md, "The AOT cache"): a training run of the service on this JRE, with these
# options and these jars, against an embedded PostgreSQL (initdb refuses root, hence user 10001). The
# tools come from the build stage by a bind mount and /tmp is emptied, so only the cache stays. A start
# from it answers in about half the time (bench/results.md, "Java 25 and its AOT cache as the product's
# runtime").
RUN install -d -o 10001 -g 10001 /deployments/aot
USER 10001:10001
RUN --mount=type=bind,from=build,source=/build,target=/build \
    java -cp "/build/bench/target/classes:$(cat /build/bench/target/classpath.txt)" io.duban.bench.AotTraining \
      --service ${SERVICE} --app /deployments --cache /deployments/aot/app.aot \
    && find /tmp -mindepth 1 -maxdepth 1 -user 10001 -exec rm -rf {} +
# A JVM whose options do not fit the cache (a changed JDK_JAVA_OPTIONS, e.g. compact object headers
# turned on) or that finds none warns and starts without it, as slowly as before it.
ENTRYPOINT ["java", "-XX:AOTCache=/deployments/aot/app.aot", "-Dquarkus.http.host=0.0.0.0", "-Djava.util.logging.manager=org.jboss.logmanager.LogManager", "-jar", "/deployments/quarkus-run.jar"]
