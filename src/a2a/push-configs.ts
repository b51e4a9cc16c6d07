import { randomUUID } from 'node:crypto';
import type { TaskPushNotificationConfig } from '@a2a-js/sdk';
import { PushNotificationNotSupportedError, RequestMalformedError } from '@a2a-js/sdk/errors';
import type { PushConfig } from '../core/push';
import { SECRETS_KEY_ENV, type SecretBox } from '../secrets/sealed';

/**
 * Push configs cross into the run sealed: the client's token and its receiver credentials are
 * secrets, and a run's input and history must hold none. Without a key, a config that carries
 * a secret is refused (plainly, naming the setting), while one without secrets works.
 */
export function sealPushConfig(params: TaskPushNotificationConfig, box: SecretBox | null): PushConfig {
  if (!params.url) throw new RequestMalformedError('the push notification config needs a url');
  let url: URL;
  try {
    url = new URL(params.url);
  } catch {
    throw new RequestMalformedError(`push notification url "${params.url}" is not a URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new RequestMalformedError(`push notification url "${params.url}" must be http or https`);
  const seal = (secret: string, what: string) => {
    if (!box)
      throw new PushNotificationNotSupportedError(
        `push notifications with a ${what} need ${SECRETS_KEY_ENV} set on the front end and the workers (secrets are sealed before they reach Temporal)`,
      );
    return box.seal(secret);
  };
  const auth = params.authentication;
  return {
    id: params.id || randomUUID(),
    url: url.toString(),
    token: params.token ? seal(params.token, 'token') : null,
    authentication: auth?.scheme
      ? { scheme: auth.scheme, credentials: auth.credentials ? seal(auth.credentials, 'credential') : null }
      : null,
  };
}

/** A stored config as a client sees it: its own token back, our receiver credentials never. */
export function publicPushConfig(taskId: string, config: PushConfig, box: SecretBox | null): TaskPushNotificationConfig {
  return {
    tenant: '',
    id: config.id,
    taskId,
    url: config.url,
    token: config.token && box ? box.open(config.token) : '',
    authentication: config.authentication ? { scheme: config.authentication.scheme, credentials: '' } : undefined,
  };
}
