export type { Credential, CredentialKind, CredentialInput, CredentialChanges, CredentialUsage, CredentialSecrets, SecretField } from './types.js';
export { secretKey, SECRET_FIELDS, CREDENTIAL_KINDS } from './types.js';
export { listCredentials, getCredential, getDefaultCredential, credentialUsage } from './repository.js';
export { addCredential, updateCredential, removeCredential, setDefaultCredential, clearDefaultCredential, describeUsage } from './manage.js';
export { loadCredentialSecrets, loadToken, credentialEnvName } from './load.js';
export { parsePipedSecrets, firstLine, type PipedSecrets } from './secret-input.js';
