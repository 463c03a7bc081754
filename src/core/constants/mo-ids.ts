/** Management-object identifiers (Type property of an MO's root node). */
export const MoId = {
  DEVINFO: 'urn:oma:mo:oma-dm-devinfo:1.0',
  DEVDETAIL: 'urn:oma:mo:oma-dm-devdetail:1.0',
  DMACC: 'urn:oma:mo:oma-dm-dmacc:1.0',
  FUMO: 'urn:oma:mo:oma-fumo:1.0',
} as const;
/** One of the named MO ids. */
export type MoId = (typeof MoId)[keyof typeof MoId];
