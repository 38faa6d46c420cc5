/** `GET /v1/me`, loaded once per sign-in: the display name, the city, the year and the units' names. */
import { computed, ref } from 'vue';
import { api, unwrap } from './client';
import type { paths } from './schema';

export type Me = paths['/v1/me']['get']['responses'][200]['content']['application/json'];

const me = ref<Me>();
let loading: Promise<Me> | undefined;

export async function loadMe(): Promise<Me> {
  loading ??= unwrap(api().GET('/v1/me')).then((m) => (me.value = m));
  try {
    return await loading;
  } catch (e) {
    loading = undefined;
    throw e;
  }
}

export function forgetMe(): void {
  me.value = undefined;
  loading = undefined;
}

const unitMap = computed(() => new Map((me.value?.units ?? []).map((u) => [u.id, u.name])));

/** A unit's name (its id while /v1/me is not loaded or does not know it). */
export function unitName(id: string | null | undefined): string {
  return id ? (unitMap.value.get(id) ?? id) : '';
}

export function useMe() {
  return { me, unitName, units: computed(() => me.value?.units ?? []) };
}
