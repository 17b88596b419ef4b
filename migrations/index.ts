import * as migration_20261124_053701_initial from './20261124_053701_initial';
import * as migration_20261124_061536_capture_offset from './20261124_061536_capture_offset';
import * as migration_20261124_062404_image_locks_off from './20261124_062404_image_locks_off';
import * as migration_20261201_094824_consultation_images_keyset_index from './20261201_094824_consultation_images_keyset_index';
import * as migration_20261201_095012_idempotency_key from './20261201_095012_idempotency_key';
import * as migration_20261201_104822_audit_events from './20261201_104822_audit_events';
import * as migration_20261201_110011_lesions from './20261201_110011_lesions';
import * as migration_20261201_122038_consent_scopes from './20261201_122038_consent_scopes';
import * as migration_20261201_123041_share_links from './20261201_123041_share_links';
import * as migration_20261201_124054_audit_append_only from './20261201_124054_audit_append_only';

export const migrations = [
  {
    up: migration_20261124_053701_initial.up,
    down: migration_20261124_053701_initial.down,
    name: '20261124_053701_initial',
  },
  {
    up: migration_20261124_061536_capture_offset.up,
    down: migration_20261124_061536_capture_offset.down,
    name: '20261124_061536_capture_offset',
  },
  {
    up: migration_20261124_062404_image_locks_off.up,
    down: migration_20261124_062404_image_locks_off.down,
    name: '20261124_062404_image_locks_off',
  },
  {
    up: migration_20261201_094824_consultation_images_keyset_index.up,
    down: migration_20261201_094824_consultation_images_keyset_index.down,
    name: '20261201_094824_consultation_images_keyset_index',
  },
  {
    up: migration_20261201_095012_idempotency_key.up,
    down: migration_20261201_095012_idempotency_key.down,
    name: '20261201_095012_idempotency_key',
  },
  {
    up: migration_20261201_104822_audit_events.up,
    down: migration_20261201_104822_audit_events.down,
    name: '20261201_104822_audit_events',
  },
  {
    up: migration_20261201_110011_lesions.up,
    down: migration_20261201_110011_lesions.down,
    name: '20261201_110011_lesions',
  },
  {
    up: migration_20261201_122038_consent_scopes.up,
    down: migration_20261201_122038_consent_scopes.down,
    name: '20261201_122038_consent_scopes',
  },
  {
    up: migration_20261201_123041_share_links.up,
    down: migration_20261201_123041_share_links.down,
    name: '20261201_123041_share_links',
  },
  {
    up: migration_20261201_124054_audit_append_only.up,
    down: migration_20261201_124054_audit_append_only.down,
    name: '20261201_124054_audit_append_only',
  },
];
