#!/usr/bin/env bash
# Builds dist/academy_<version>_amd64.deb: a release binary with the Swift runtime linked in
# statically, the shipped content, schemas and samples, the docs, man pages generated from the
# command definitions, shell completions, the exam hall's systemd unit and the configuration file.
#
# Usage: scripts/package.sh [--version V] [--no-build]
#   --version V  the package version (default: the VERSION file)
#   --no-build   package the binary already in .build-release (after a previous run)
# Environment: ACADEMY_SOURCE_DATE (YYYY-MM-DD, default: the commit's date) dates the man pages.
# Prints the .deb's path on stdout; everything else goes to stderr.
set -euo pipefail
cd "$(dirname "$0")/.."
root="$PWD"

version="$(tr -d ' \n' < VERSION)"
build=1
while (($#)); do
  case "$1" in
    --version) version="${2:?--version needs a value}"; shift 2 ;;
    --no-build) build=0; shift ;;
    *) echo "package.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
[[ "$version" =~ ^[0-9][A-Za-z0-9.+~-]*$ ]] || { echo "package.sh: bad version '$version'" >&2; exit 2; }

scripts/install-deps.sh
scratch=.build-release
stage="$scratch/stage"
pkg="academy_${version}_amd64"
deb="dist/$pkg.deb"
say() { echo "package.sh: $*" >&2; }

# --- What this build is: version, commit, and the digest of the content it ships ---------------
commit="$(git rev-parse HEAD 2>/dev/null || echo unknown)"
if [[ "$commit" != unknown ]] && ! git diff --quiet HEAD -- Sources Courses QuestionBank Package.swift 2>/dev/null; then
  commit="$commit-modified"
fi
# The same definition as ContentFingerprint.swift (hidden entries skipped, bytewise order).
content_digest() {
  (cd "$1" && find Courses QuestionBank -name '.*' -prune -o -type f -name '*.xml' -print |
    LC_ALL=C sort | xargs -d '\n' sha256sum | sha256sum | cut -d' ' -f1)
}
digest="$(content_digest .)"
mkdir -p Sources/AcademyCLI/Generated
cat > Sources/AcademyCLI/Generated/PackagedBuildInfo.swift.new <<EOF
// Written by scripts/package.sh; not committed. Compiled only with ACADEMY_PACKAGED=1.
#if ACADEMY_PACKAGED
    enum PackagedBuildInfo {
        static let version = "$version"
        static let commit = "$commit"
        static let contentSHA256 = "$digest"
    }
#endif
EOF
# Rewrite only when it changed, so an unchanged build stays incremental.
if cmp -s Sources/AcademyCLI/Generated/PackagedBuildInfo.swift.new Sources/AcademyCLI/Generated/PackagedBuildInfo.swift; then
  rm Sources/AcademyCLI/Generated/PackagedBuildInfo.swift.new
else
  mv Sources/AcademyCLI/Generated/PackagedBuildInfo.swift.new Sources/AcademyCLI/Generated/PackagedBuildInfo.swift
fi

# --- The binary -------------------------------------------------------------------------------
if ((build)); then
  say "release build (static Swift runtime) in $scratch — slow on a small machine"
  ACADEMY_PACKAGED=1 swift build -c release --static-swift-stdlib --product academy --scratch-path "$scratch" >&2
fi
bin="$(swift build -c release --scratch-path "$scratch" --show-bin-path)/academy"
[[ -x "$bin" ]] || { say "no binary at $bin (run without --no-build)"; exit 1; }

# The man pages come from the command definitions, through swift-argument-parser's own
# generator (the tool behind its generate-manual plugin), built from the package mirror's copy.
say "building swift-argument-parser's generate-manual"
swift build --product generate-manual >&2
genman="$(swift build --show-bin-path)/generate-manual"

rm -rf "$stage"
mkdir -p "$stage/DEBIAN" "$stage/usr/bin" "$stage/usr/share/academy" "$stage/usr/share/doc/academy" \
  "$stage/usr/share/man/man1" "$stage/usr/share/bash-completion/completions" \
  "$stage/usr/share/zsh/vendor-completions" "$stage/usr/share/fish/vendor_completions.d" \
  "$stage/lib/systemd/system" "$stage/etc/academy/content.d"
install -m 0755 "$bin" "$stage/usr/bin/academy"
strip --strip-unneeded "$stage/usr/bin/academy"

# No Swift library may be left for the loader to find: only Debian's libraries.
needed="$(readelf -d "$stage/usr/bin/academy" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p' | sort)"
allowed='^(libxml2\.so\.2|libsqlite3\.so\.0|libz\.so\.1|libc\.so\.6|libm\.so\.6|libstdc\+\+\.so\.6|libgcc_s\.so\.1|ld-linux-x86-64\.so\.2)$'
if bad="$(grep -Ev "$allowed" <<<"$needed")"; then
  say "the binary needs libraries outside Debian's libc, libxml2, libsqlite3 and zlib:"
  echo "$bad" >&2
  exit 1
fi
if ldd "$stage/usr/bin/academy" | grep -Ei 'swift|not found' >&2; then
  say "ldd shows a Swift library or a missing one"
  exit 1
fi

# --- Content, schemas, samples ------------------------------------------------------------------
cp -r Courses QuestionBank schemas samples "$stage/usr/share/academy/"
[[ "$(content_digest "$stage/usr/share/academy")" == "$digest" ]] || { say "staged content differs from the tree"; exit 1; }
# The packaged binary must be this version (--no-build after a version change is not) and
# recognize what it ships.
first="$(ACADEMY_CONFIG=/nonexistent "$stage/usr/bin/academy" --version | head -n 1)"
[[ "$first" == "academy $version" ]] || { say "the binary says '$first', not 'academy $version'; build again"; exit 1; }
ACADEMY_CONFIG=/nonexistent ACADEMY_LANG=en HOME=/nonexistent ACADEMY_CACHE_DIR=off \
  ACADEMY_CONTENT="$stage/usr/share/academy/Courses:$stage/usr/share/academy/QuestionBank" \
  "$stage/usr/bin/academy" --version | grep -qF '(the shipped content)' ||
  { say "academy --version does not recognize the shipped content"; exit 1; }

# --- Docs, copyright, changelog ---------------------------------------------------------------
doc="$stage/usr/share/doc/academy"
cp README.md "$doc/"
cp docs/*.md "$doc/"
cp -r docs/examples "$doc/"
mkdir -p "$doc/licenses"
cp packaging/copyright "$doc/copyright"
# Every Swift package compiled into the binary: a paragraph in copyright, its licence files copied.
cp /opt/swift/usr/share/swift/LICENSE.txt "$doc/licenses/swift-LICENSE.txt" 2>/dev/null || true
for dep in "$scratch"/checkouts/*; do
  name="$(basename "$dep")"
  files=()
  for f in "$dep"/LICENSE* "$dep"/NOTICE* "$dep"/COPYING*; do
    [[ -f "$f" ]] && cp "$f" "$doc/licenses/$name-$(basename "$f")" && files+=("licenses/$name-$(basename "$f")")
  done
  ((${#files[@]})) || { say "bundled package $name has no LICENSE file; cannot write its copyright"; exit 1; }
  lic="$dep/$(basename "${files[0]#licenses/$name-}")"
  if grep -q "Apache License" "$lic"; then license=Apache-2.0
  elif grep -q "Permission is hereby granted, free of charge" "$lic"; then license=Expat
  else say "bundled package $name: unrecognized licence in $lic; add it to packaging/copyright"; exit 1
  fi
  holder="$(grep -m1 -i '^ *copyright (c)\|^ *copyright [0-9]' "$lic" | sed 's/^ *//' || true)"
  tag="$(git -C "$dep" describe --tags --always 2>/dev/null || echo unknown)"
  {
    printf '\nFiles: usr/bin/academy\nComment: bundled %s %s\n' "$name" "$tag"
    printf 'Copyright: %s\n' "${holder:-the $name authors}"
    printf 'License: %s\n See %s' "$license" "${files[*]}"
    [[ "$license" == Apache-2.0 ]] && printf ' and /usr/share/common-licenses/Apache-2.0'
    printf '.\n'
  } >> "$doc/copyright"
done
date_r="$(git log -1 --format=%aD 2>/dev/null || date -R)"
printf 'academy (%s) stable; urgency=medium\n\n  * Built from commit %s.\n\n -- Academy maintainers <maintainers@academy.invalid>  %s\n' \
  "$version" "$commit" "$date_r" | gzip -9n > "$doc/changelog.Debian.gz"

# --- Man pages and completions, from the command definitions ----------------------------------
mandate="${ACADEMY_SOURCE_DATE:-$(git log -1 --format=%cs 2>/dev/null || date +%F)}"
# generate-manual keeps only ASCII characters (String+Escaping.swift: `where character.isASCII`),
# which would drop every Chinese word. It reads the command tree from `--experimental-dump-help`;
# hand it that JSON with each other character spelled as an ASCII placeholder, and turn the
# placeholders back into UTF-8 in the pages it writes (man-db's preconv reads UTF-8).
tmp="$(mktemp -d)"
cat > "$tmp/academy" <<EOF
#!/bin/sh
"$root/$stage/usr/bin/academy" "\$@" |
  python3 -c 'import sys; sys.stdout.write("".join(c if ord(c) < 128 else "QQu%xQQ" % ord(c) for c in sys.stdin.read()))'
EOF
chmod +x "$tmp/academy"
"$genman" "$tmp/academy" --multi-page --section 1 --date "$mandate" \
  --authors "Academy maintainers<maintainers@academy.invalid>" -o "$stage/usr/share/man/man1"
rm -rf "$tmp"
[[ -f "$stage/usr/share/man/man1/academy.1" ]] || { say "generate-manual wrote no academy.1"; exit 1; }
python3 - "$stage"/usr/share/man/man1/*.1 <<'EOF'
import re, sys
for path in sys.argv[1:]:
    text = open(path, encoding="ascii").read()
    open(path, "w", encoding="utf-8").write(re.sub(r"QQu([0-9a-f]+)QQ", lambda m: chr(int(m.group(1), 16)), text))
EOF
grep -q "校验课程" "$stage/usr/share/man/man1/academy.lint.1" || { say "the man pages lost their Chinese text"; exit 1; }
gzip -9n "$stage"/usr/share/man/man1/*.1
"$stage/usr/bin/academy" --generate-completion-script bash > "$stage/usr/share/bash-completion/completions/academy"
"$stage/usr/bin/academy" --generate-completion-script zsh > "$stage/usr/share/zsh/vendor-completions/_academy"
"$stage/usr/bin/academy" --generate-completion-script fish > "$stage/usr/share/fish/vendor_completions.d/academy.fish"

# --- Service, configuration, maintainer scripts -----------------------------------------------
install -m 0644 packaging/academy-hall.service "$stage/lib/systemd/system/"
install -m 0644 packaging/academy.conf "$stage/etc/academy/academy.conf"
install -m 0644 packaging/content.d-README "$stage/etc/academy/content.d/README"
for s in postinst prerm postrm; do install -m 0755 "packaging/$s" "$stage/DEBIAN/$s"; done
echo /etc/academy/academy.conf > "$stage/DEBIAN/conffiles"
echo /etc/academy/content.d/README >> "$stage/DEBIAN/conffiles"

# --- Control ----------------------------------------------------------------------------------
# Depends from the binary's own needs, as Debian computes them (dpkg-shlibdeps).
shl="$(mktemp -d)"
mkdir -p "$shl/debian"
printf 'Source: academy\n\nPackage: academy\nArchitecture: amd64\n' > "$shl/debian/control"
depends="$(cd "$shl" && dpkg-shlibdeps -O "$root/$stage/usr/bin/academy" 2>/dev/null | sed -n 's/^shlibs:Depends=//p')"
rm -rf "$shl"
[[ -n "$depends" ]] || { say "dpkg-shlibdeps found no dependencies"; exit 1; }
for lib in libxml2 libsqlite3-0 zlib1g libc6; do
  grep -q "\b$lib\b" <<<"$depends" || { say "Depends lacks $lib: $depends"; exit 1; }
done
size_kb="$(du -sk --exclude=DEBIAN "$stage" | cut -f1)"
cat > "$stage/DEBIAN/control" <<EOF
Package: academy
Version: $version
Architecture: amd64
Maintainer: Academy maintainers <maintainers@academy.invalid>
Installed-Size: $size_kb
Depends: $depends, passwd
Recommends: man-db
Section: education
Priority: optional
Description: training and examinations for urban-management enforcement staff
 Academy (城市管理执法人员教育培训与考试系统) runs an education cycle on the
 2018 MOHURD notice on strictly regulating urban-management enforcement:
 courses and case studies, randomized timed exams in a terminal or over SSH
 (the exam hall, academy-hall.service), and a hash-chained education record
 with rosters and written reports.
 .
 The shipped content is in /usr/share/academy; a bureau's own courses go in
 /etc/academy/content.d/. The database and the hall's host key live in
 /var/lib/academy.
EOF
(cd "$stage" && find . -path ./DEBIAN -prune -o -type f -print | sed 's|^\./||' | LC_ALL=C sort |
  xargs -d '\n' md5sum > DEBIAN/md5sums)

mkdir -p dist
rm -f "$deb"
dpkg-deb --root-owner-group -Zxz --build "$stage" "$deb" >&2
say "$(du -h "$deb" | cut -f1) $deb (binary $(du -h "$stage/usr/bin/academy" | cut -f1))"
echo "$deb"
