# The reference server as a container: serves specs/ on 0.0.0.0:8080.
#
#   docker build -t conform .
#   docker run --rm -p 8080:8080 conform
#   docker run --rm -p 8080:8080 -v "$PWD/docs:/docs" conform mock /docs --host 0.0.0.0 --port 8080
#
# `docker stop` sends SIGTERM, on which the server lets open requests finish
# and exits 0.

FROM rust:1.89-slim-bookworm AS build
WORKDIR /src
COPY . .
RUN cargo build --release --locked --bin conform

# glibc, CA certificates and nothing else; runs as an unprivileged user.
FROM gcr.io/distroless/cc-debian12:nonroot
COPY --from=build /src/target/release/conform /usr/local/bin/conform
COPY specs /specs
EXPOSE 8080
ENTRYPOINT ["/usr/local/bin/conform"]
CMD ["mock", "/specs", "--host", "0.0.0.0", "--port", "8080"]
