#!/usr/bin/env bash
# Builds the root filesystem that the image's base layer holds when no registry is reachable
# (mvn -Pimage package, base "scratch"): a jlink'd Java runtime of this JDK under /opt/java, the
# shared libraries it links against (found with ldd, copied to the paths the loader searches), CA
# certificates, a non-root user (65532) and /tmp. Nothing is downloaded.
# Usage: make-runtime.sh <java.home> <output dir>
set -euo pipefail
JAVA_HOME_IN="$1"; OUT="$2"
MODULES="java.se,jdk.unsupported,jdk.crypto.ec,jdk.crypto.cryptoki,jdk.management,jdk.management.jfr,jdk.jfr,jdk.naming.dns,jdk.zipfs,jdk.localedata"

rm -rf "$OUT" && mkdir -p "$OUT/opt" "$OUT/etc" "$OUT/tmp"
"$JAVA_HOME_IN/bin/jlink" --module-path "$JAVA_HOME_IN/jmods" --add-modules "$MODULES" --include-locales=fr,en \
  --strip-debug --no-man-pages --no-header-files --compress=2 --output "$OUT/opt/java"

# Debian's JDK keeps its security files as symlinks into /etc: the image gets their contents.
for f in "$OUT"/opt/java/lib/security/* "$OUT"/opt/java/conf/security/*; do
  [ -L "$f" ] && cp --remove-destination -L "$f" "$f"
done
[ -s "$OUT/opt/java/lib/security/cacerts" ] || cp -L /etc/ssl/certs/java/cacerts "$OUT/opt/java/lib/security/cacerts"
find "$OUT/opt/java" -xtype l -delete   # symlinks left dangling (e.g. into an absent /etc/java-17-openjdk)

# Every shared library the runtime's executables and libraries resolve to, at the path ldd reports.
find "$OUT/opt/java" -type f \( -name '*.so' -o -path '*/bin/*' \) -print0 \
  | xargs -0 ldd 2>/dev/null | grep -o '/[^ ]*\.so[^ ]*' | grep -v "^$OUT" | sort -u \
  | while read -r lib; do mkdir -p "$OUT$(dirname "$lib")"; cp -L "$lib" "$OUT$lib"; done

printf 'root:x:0:0:root:/root:/sbin/nologin\nnonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin\n' > "$OUT/etc/passwd"
printf 'root:x:0:\nnonroot:x:65532:\n' > "$OUT/etc/group"
printf '127.0.0.1 localhost\n::1 localhost\n' > "$OUT/etc/hosts"    # a container runtime mounts its own
printf 'hosts: files dns\n' > "$OUT/etc/nsswitch.conf"
mkdir -p "$OUT/home/nonroot"
echo "runtime in $OUT: $(du -sh "$OUT" | cut -f1)"
