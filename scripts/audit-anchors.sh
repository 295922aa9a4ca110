#!/usr/bin/env bash
# The audit trail's published heads live in git notes (refs/notes/roster),
# one note per applied commit, written by `roster apply`. The apply workflow
# fetches them before it applies (so `roster audit verify` checks the store
# against every head published so far) and pushes them afterwards.
#   bash scripts/audit-anchors.sh fetch | push
set -euo pipefail
ref=refs/notes/roster
# A CI checkout has no git identity; merging notes makes a commit.
git config user.email >/dev/null || git config user.email 'roster@users.noreply.github.com'
git config user.name >/dev/null || git config user.name 'roster'
case "${1:-}" in
  fetch)
    # Only "origin has no such ref" means a first apply. Any other failure
    # (network, authentication, a corrupt ref) fails the job: carrying on
    # would check the store against no published head at all.
    status=0
    err=$(git ls-remote --exit-code origin "$ref" 2>&1 >/dev/null) || status=$?
    if [ "$status" -eq 2 ]; then
      echo "no $ref on origin yet: this is the first apply to publish its head"
      exit 0
    fi
    if [ "$status" -ne 0 ]; then
      echo "error: cannot read $ref from origin (git ls-remote exit $status): ${err:-no message}" >&2
      echo "refusing to go on: the store could not be checked against the heads published so far" >&2
      exit 1
    fi
    if ! err=$(git fetch --quiet origin "+$ref:$ref" 2>&1); then
      echo "error: origin has $ref but fetching it failed: $err" >&2
      echo "refusing to go on: the store could not be checked against the heads published so far" >&2
      exit 1
    fi
    ;;
  push)
    git show-ref --quiet --verify "$ref" || { echo "no $ref to push: the apply published no head"; exit 0; }
    for attempt in 1 2 3; do
      git push --quiet origin "$ref" && exit 0
      # Notes were pushed meanwhile (a manual run): keep both sides' anchors, then try again.
      echo "push of $ref refused (attempt $attempt); merging the remote notes"
      git fetch --quiet origin "+$ref:refs/notes/roster-remote"
      git notes --ref=roster merge --strategy=cat_sort_uniq refs/notes/roster-remote
    done
    exit 1
    ;;
  *)
    echo "usage: $0 fetch|push" >&2
    exit 2
    ;;
esac
