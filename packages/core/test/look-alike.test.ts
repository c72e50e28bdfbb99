/** Look-alike warnings of the share dialog's lookup: from the found name alone. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { lookAlikeWarning } from '../src/services/lookup-identity.ts';

describe('lookAlikeWarning', () => {
  it('is silent for ordinary names and addresses', () => {
    for (const name of ['bob', 'alice.smith', 'dr-bob', 'user12', 'jo_2024', 'bob@example.com', 'josé', 'Zoë', 'Łukasz', 'ивана', '李雷']) assert.equal(lookAlikeWarning(name), null, name);
  });

  it('flags letters from another alphabet that look Latin', () => {
    assert.match(lookAlikeWarning('bоb')!, /another alphabet.*о/); // Cyrillic о
    assert.match(lookAlikeWarning('аlice')!, /another alphabet/); // Cyrillic а
    assert.match(lookAlikeWarning('ροb')!, /another alphabet/); // Greek ρ, ο
    assert.match(lookAlikeWarning('аре')!, /another alphabet/); // all Cyrillic, reads "ape"
  });

  it('flags 0 and 1 among letters', () => {
    assert.match(lookAlikeWarning('b0b')!, /digit 0 or 1/);
    assert.match(lookAlikeWarning('a1ice')!, /digit 0 or 1/);
    assert.match(lookAlikeWarning('b0b@example.com')!, /digit 0 or 1/);
  });

  it('flags characters with a more common equivalent, and other scripts mixed with Latin', () => {
    assert.match(lookAlikeWarning('ｂob')!, /more common equivalent/); // full-width b
    assert.match(lookAlikeWarning('bob\u200b')!, /invisible/); // zero-width space
    assert.match(lookAlikeWarning('bobж')!, /mixes Latin letters with letters of another alphabet/);
  });
});
