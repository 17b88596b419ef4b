import * as migration_20261124_053701_initial from './20261124_053701_initial';

export const migrations = [
  {
    up: migration_20261124_053701_initial.up,
    down: migration_20261124_053701_initial.down,
    name: '20261124_053701_initial'
  },
];
