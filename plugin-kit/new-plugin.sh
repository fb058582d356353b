#!/usr/bin/env bash
# Generates a site plugin project from plugin-kit/template: a scheduler driver bundle, an auth backend bundle and
# their Karaf features, built against this platform's version.
#   plugin-kit/new-plugin.sh <name> [target-dir] [groupId]
#   name: lower-case letters and digits, starting with a letter (the driver type and auth type, e.g. pbs)
set -euo pipefail
name=${1:?usage: new-plugin.sh <name> [target-dir] [groupId]}
target=${2:-./$name-plugins}
group=${3:-org.example.scow}
[[ $name =~ ^[a-z][a-z0-9]*$ ]] || { echo "name must be lower-case letters and digits: $name" >&2; exit 2; }
[[ $group =~ ^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$ ]] || { echo "not a Java package-like groupId: $group" >&2; exit 2; }
[[ -e $target ]] && { echo "$target exists" >&2; exit 2; }
kit=$(cd "$(dirname "$0")" && pwd)
version=$(sed -n 's:^  <version>\(.*\)</version>:\1:p' "$kit/../pom.xml" | head -1)
Name="$(tr '[:lower:]' '[:upper:]' <<<"${name:0:1}")${name:1}"
package="$group.$name"
pkgdir=${package//.//}
mkdir -p "$target"
(cd "$kit/template" && find . -type f) | while read -r f; do
  out="$target/$(sed -e "s#__pkgdir__#$pkgdir#g; s#__name__#$name#g; s#__Name__#$Name#g" <<<"${f#./}")"
  mkdir -p "$(dirname "$out")"
  sed -e "s#__package__#$package#g; s#__groupId__#$group#g; s#__scowVersion__#$version#g" \
      -e "s#__name__#$name#g; s#__Name__#$Name#g" "$kit/template/$f" > "$out"
done
echo "Generated $target (platform $version): cd $target && mvn install"
