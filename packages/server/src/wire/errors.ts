/**
 * @module wire/errors
 * Schemas of the two error bodies http/render-error.ts writes, for the API reference: OAuth JSON
 * (RFC 6749 §5.2, with the UMA grant's extra members, UMA Grant §3.3.6) and CREST JSON for owner APIs.
 */
import Type from 'typebox';

export const RequiredClaimSchema = Type.Object(
  {
    claim_token_format: Type.Optional(Type.Array(Type.String(), { description: 'Claim token formats the client may push.' })),
    claim_type: Type.Optional(Type.String()),
    friendly_name: Type.Optional(Type.String()),
    issuer: Type.Optional(Type.Array(Type.String(), { description: 'Issuers whose claim tokens are accepted.' })),
    name: Type.Optional(Type.String({ description: 'Claim that identifies the requesting party.' })),
  },
  { $id: 'RequiredClaim', description: 'A claim the client must bring (UMA Grant §3.3.6).' },
);

export const OAuthErrorSchema = Type.Object(
  {
    error: Type.String({ description: 'Error code from the closed list (docs/errors.md).' }),
    error_description: Type.Optional(Type.String({ description: 'Human-readable reason, safe to show; printable ASCII only.' })),
    ticket: Type.Optional(Type.String({ description: '`need_info`, `request_submitted`: the successor permission ticket to retry with.' })),
    required_claims: Type.Optional(Type.Array(RequiredClaimSchema, { description: '`need_info`: claims that would identify the requesting party.' })),
    redirect_user: Type.Optional(Type.String({ description: '`need_info`: the claims interaction endpoint to send the user to.' })),
    interval: Type.Optional(Type.Integer({ description: '`request_submitted`: seconds to wait between polls.' })),
  },
  { $id: 'OAuthError', description: 'OAuth error body, sent with `Cache-Control: no-store`.' },
);

export const CrestErrorSchema = Type.Object(
  {
    code: Type.Integer({ description: 'The HTTP status.' }),
    reason: Type.String({ description: 'The HTTP status text, e.g. `Not Found`.' }),
    message: Type.String({ description: 'Human-readable reason.' }),
  },
  { $id: 'CrestError', description: 'CREST error body of the owner APIs (ForgeRock AM style).' },
);
