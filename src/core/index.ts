/**
 * Public surface of the protocol core (`omadm/core`): the SyncML DM model and codecs,
 * constants, authentication, Package 0, Client Provisioning, tree primitives and TNDS.
 * Pure code: no sockets, files or database.
 */
export * from './errors.js';
export * from './constants/status.js';
export * from './constants/alert.js';
export * from './constants/fumo.js';
export * from './constants/meta-types.js';
export * from './constants/mo-ids.js';
export * from './syncml/message.js';
export { messageFromElement } from './syncml/from-element.js';
export { messageToDocument, type ToElementOptions } from './syncml/to-element.js';
export * from './codec/element.js';
export * from './codec/message-codec.js';
export * from './codec/xml/decode-xml.js';
export * from './codec/xml/encode-xml.js';
export * from './codec/wbxml/decode-wbxml.js';
export * from './codec/wbxml/encode-wbxml.js';
export * from './auth/basic.js';
export * from './auth/md5-digest.js';
export * from './auth/hmac-md5.js';
export * from './auth/nonce.js';
export * from './notification/package0.js';
export * from './notification/wap-push.js';
export * from './provisioning/cp-document.js';
export * from './provisioning/cp-xml.js';
export * from './provisioning/cp-wbxml.js';
export * from './provisioning/cp-push.js';
export * from './provisioning/cp-security.js';
export * from './provisioning/w7.js';
export * from './provisioning/w7-build.js';
export * from './provisioning/connectivity.js';
export * from './tree/uri.js';
export * from './tree/acl.js';
export * from './tree/formats.js';
export * from './tree/properties.js';
export * from './tree/security-role.js';
export * from './tnds/tnds.js';
export * from './tnds/flatten-tnds.js';
export * from './tnds/build-tnds.js';
export * from './tnds/ddf.js';
