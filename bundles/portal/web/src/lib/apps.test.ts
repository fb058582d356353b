import { describe, expect, it } from 'vitest';
import { AppForm, initialValues, launchValues } from './apps';

const form: AppForm = {
  app: 'jupyter',
  cluster: 'local',
  fields: [
    { name: 'account', label: 'Account', type: 'select', required: true, value: 'a1', fixed: false, hidden: false, options: [] },
    { name: 'partition', label: 'Partition', type: 'select', required: true, value: 'gpu', fixed: true, hidden: false, options: [] },
    { name: 'gpus', label: 'GPUs', type: 'number', required: true, value: '1', fixed: false, hidden: true, options: [] },
    { name: 'time', label: 'Time', type: 'number', required: true, value: '60', fixed: false, hidden: false, options: [] },
    { name: 'dir', label: 'Dir', type: 'file', required: false, value: null, fixed: false, hidden: false, options: [] },
  ],
};

describe('app launch form', () => {
  it('starts from the values the server proposes', () => {
    expect(initialValues(form)).toEqual({ account: 'a1', partition: 'gpu', time: 60, dir: undefined });
  });

  it('sends only what the user may set', () => {
    expect(launchValues(form, { account: 'a2', partition: 'other', gpus: 4, time: 30, dir: '' })).toEqual({
      account: 'a2',
      time: '30',
    });
  });
});
