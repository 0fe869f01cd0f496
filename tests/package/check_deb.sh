#!/usr/bin/env bash
# Builds the Debian package from a configured and built tree (default
# build/ci) with 'cpack -G DEB', checks its contents with dpkg-deb and its
# Depends (computed by dpkg-shlibdeps), and, when run as root on a machine
# where no package named regress is installed, installs it, runs the
# installed regress (--version, a fit of a shipped file, the man page and
# the bash completion where they were put) and removes it again.
# Usage: tests/package/check_deb.sh [BUILD_DIR]
set -euo pipefail
cd "$(dirname "$0")/../.."
build=$(cd "${1:-build/ci}" && pwd)
fail() { echo "check_deb: $*" >&2; exit 1; }

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
(cd "$build" && cpack -G DEB -B "$out" >"$out/cpack.log" 2>&1) ||
  { cat "$out/cpack.log" >&2; fail "cpack -G DEB failed"; }
deb=$(find "$out" -maxdepth 1 -name 'regress_*.deb' | head -1)
[ -n "$deb" ] || fail "cpack made no regress_*.deb in $out"
echo "check_deb: built $(basename "$deb")"

# Contents: the command, its man page and completions, the shipped data,
# the library, its headers and CMake package.
contents=$(dpkg-deb -c "$deb" | awk '{print $NF}')
for f in ./usr/bin/regress \
         ./usr/share/man/man1/regress.1 \
         ./usr/share/bash-completion/completions/regress \
         ./usr/share/zsh/vendor-completions/_regress \
         ./usr/share/fish/vendor_completions.d/regress.fish \
         ./usr/share/doc/regress/README.md \
         ./usr/share/doc/regress/examples/cars.csv \
         ./usr/include/regress/model/model.hpp \
         ./usr/include/regress/output/format.hpp; do
  grep -qxF "$f" <<<"$contents" || fail "$f is not in the package"
done
grep -qE '^\./usr/lib/([^/]+/)?libregress\.a$' <<<"$contents" || fail "libregress.a is not in the package"
grep -qE '^\./usr/lib/([^/]+/)?cmake/regress/regressConfig\.cmake$' <<<"$contents" ||
  fail "the CMake package is not in the package"
depends=$(dpkg-deb -f "$deb" Depends)
[[ $depends == *libc6* && $depends == *libstdc++6* ]] ||
  fail "Depends does not come from dpkg-shlibdeps: '$depends'"
echo "check_deb: contents and Depends ($depends) as expected"

if [ "$(id -u)" -ne 0 ]; then
  echo "check_deb: not root: the package is not installed"
  exit 0
fi
if dpkg-query -W -f='${Status}' regress 2>/dev/null | grep -q "install ok installed"; then
  echo "check_deb: a package named regress is installed already: left alone, not tested"
  exit 0
fi
DEBIAN_FRONTEND=noninteractive dpkg -i "$deb" >"$out/dpkg.log" 2>&1 ||
  { cat "$out/dpkg.log" >&2; dpkg -r regress >/dev/null 2>&1 || true; fail "dpkg -i failed"; }
trap 'dpkg -r regress >/dev/null 2>&1 || true; rm -rf "$out"' EXIT
version=$(/usr/bin/regress --version)
[[ $version == "regress "* ]] || fail "installed regress --version said '$version'"
/usr/bin/regress fit /usr/share/doc/regress/examples/cars.csv -y dist -x speed >"$out/fit.txt" ||
  fail "the installed regress could not fit the shipped cars.csv"
grep -q '^speed  *3\.9324 ' "$out/fit.txt" || fail "the installed fit is not R's: $(cat "$out/fit.txt")"
bash -c '. /usr/share/bash-completion/completions/regress && declare -F _regress >/dev/null' ||
  fail "the installed bash completion does not load"
dpkg -r regress >/dev/null
[ ! -e /usr/bin/regress ] || fail "dpkg -r left /usr/bin/regress behind"
trap 'rm -rf "$out"' EXIT
echo "check_deb: installed, ran '$version' and a fit of the shipped cars.csv, removed"
