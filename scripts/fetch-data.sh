#!/usr/bin/env bash
# Installs the offline text corpora the data module reads (ARCHITECTURE §6), from Debian's
# packages. Idempotent: prints nothing and exits 0 when every file is already present.
#   bash scripts/fetch-data.sh          # as root (CI, the dev machines), or with sudo available
# Files it guarantees (what dev.genai4j.data reads by default):
#   /usr/share/wordnet/data.{noun,verb,adj,adv}      wordnet-base  (WordNet 3.0 database)
#   /usr/share/dictd/gcide.{dict.dz,index}           dict-gcide    (GCIDE, dictd format)
#   /usr/share/dict/american-english (+ words link)  wamerican     (word list)
#   /usr/share/dict/web2, /usr/share/misc/*.gz       miscfiles     (Webster 2nd word list, geographic lists)
# The JDK's own sources ($JAVA_HOME/lib/src.zip) come with the JDK; a missing one is only reported.
set -euo pipefail

declare -A FILE_OF=(
  [wordnet-base]=/usr/share/wordnet/data.noun
  [dict-gcide]=/usr/share/dictd/gcide.dict.dz
  [wamerican]=/usr/share/dict/american-english
  [miscfiles]=/usr/share/dict/web2
)

missing=()
for pkg in wordnet-base dict-gcide wamerican miscfiles; do
  [[ -e "${FILE_OF[$pkg]}" ]] || missing+=("$pkg")
done

if ((${#missing[@]})); then
  SUDO=()
  if [[ $(id -u) -ne 0 ]]; then
    if command -v sudo >/dev/null; then SUDO=(sudo); else
      echo "fetch-data: missing ${missing[*]}; run as root: apt-get install -y ${missing[*]}" >&2; exit 1
    fi
  fi
  echo "fetch-data: installing ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  "${SUDO[@]}" apt-get update -qq >/dev/null
  # debconf's "delaying package configuration" notice is noise without apt-utils; real errors still show
  "${SUDO[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null 2> >(grep -v '^debconf: delaying' >&2)
  for pkg in "${missing[@]}"; do
    [[ -e "${FILE_OF[$pkg]}" ]] || { echo "fetch-data: $pkg installed but ${FILE_OF[$pkg]} is absent" >&2; exit 1; }
  done
fi

jdk="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
[[ -e "$jdk/lib/src.zip" ]] || echo "fetch-data: note: $jdk/lib/src.zip is absent (the 'code' domain needs a JDK with its sources)" >&2
exit 0
