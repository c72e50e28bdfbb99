#!/bin/sh
# Creates the notes realm, its two users and the two clients at Steward (docs/guides/protect-your-api.md).
# Run it where Steward's configuration is (STEWARD_DATABASE_URL), with ALICE_PASSWORD and BOB_PASSWORD
# set; NOTES_URL is where the notes API will listen. Each client secret is printed once: keep them.
set -eu
NOTES_URL="${NOTES_URL:-http://127.0.0.1:3000}"

npx steward realm create notes --display-name Notes
printf '%s' "$ALICE_PASSWORD" | npx steward user add --realm notes --username alice --password-stdin
printf '%s' "$BOB_PASSWORD" | npx steward user add --realm notes --username bob --password-stdin

# The notes API: a resource server. Owners connect it by the authorization code flow; the kit
# refreshes their PATs with refresh tokens.
npx steward client add --realm notes --client-id notes-api --name "Notes API" --grant-type authorization_code --grant-type refresh_token --redirect-uri "$NOTES_URL/connect/callback"

# Bob's client: it trades UMA tickets for RPTs (and, as a command-line example, gets Bob's ID token by password).
npx steward client add --realm notes --client-id notes-reader --name "Notes reader" --grant-type urn:ietf:params:oauth:grant-type:uma-ticket --grant-type password
