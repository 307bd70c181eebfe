# The Rendezvous image, FROM scratch: no base image is pulled. Its context is the folder that
# scripts/container assembles from the package (target/container):
#   rootfs/opt/rendezvous   the unpacked tarball (jlink runtime, jar, bin/rendezvous, conf/jvm.options)
#   rootfs/lib*, rootfs/bin/sh
#                           the shared libraries that runtime, Netty's natives and the launcher load,
#                           copied from the build machine (Debian 12: glibc 2.36), and its /bin/sh
#   rootfs/etc/passwd, rootfs/etc/group, rootfs/tmp
#                           the user nobody, and a /tmp where Netty unpacks its native libraries
# Build: scripts/container (buildah, when installed), or scripts/container then
#        docker build -f Dockerfile -t rendezvous target/container
# Run:   docker run -p 8080:8080 rendezvous [--redis redis://redis:6379 ...]
#        JVM options through -e JAVA_OPTS=..., settings through -e RENDEZVOUS_...=...
FROM scratch
COPY rootfs/ /
USER 65534:65534
EXPOSE 8080
ENTRYPOINT ["/opt/rendezvous/bin/rendezvous"]
CMD ["--host", "0.0.0.0"]
