/**
 * zod schemas for the parts of Meta's webhook bodies that Ombuds reads (CHANNELS.md §4): the envelope shared by
 * WhatsApp Cloud API (`object: "whatsapp_business_account"`, `entry[].changes[].value`) and Messenger
 * (`object: "page"`, `entry[].messaging[]`), and the items inside. They are lenient on purpose: objects keep unknown
 * fields, and the envelope is validated apart from its items, so one odd item in a batch is answered "unsupported"
 * (parse.ts) instead of failing the other messages with it.
 */
import { z } from 'zod';

const Id = z.string().min(1).max(256);
/** WhatsApp sends unix seconds as a string; accept a number too (some test tools and older payloads do). */
const Timestamp = z.union([z.string().regex(/^\d{1,16}$/), z.number().int().nonnegative()]);

export const MetaEntry = z.looseObject({
  /** The WhatsApp Business Account or page id: kept in `raw`, read by nothing, so an odd one is dropped, not refused. */
  id: z.string().optional().catch(undefined),
  changes: z.array(z.unknown()).optional(),
  messaging: z.array(z.unknown()).optional(),
});

export const MetaEnvelope = z.looseObject({
  object: z.string().min(1).max(64),
  entry: z.array(MetaEntry),
});
export type MetaEnvelope = z.infer<typeof MetaEnvelope>;

// --- WhatsApp Cloud API -------------------------------------------------------------------------------------------

export const WhatsAppChange = z.looseObject({ field: z.string().optional(), value: z.unknown() });

export const WhatsAppMetadata = z.looseObject({ phone_number_id: Id, display_phone_number: z.string().optional() });

export const WhatsAppValue = z.looseObject({
  messaging_product: z.string().optional(),
  metadata: z.unknown().optional(),
  contacts: z.array(z.unknown()).optional(),
  messages: z.array(z.unknown()).optional(),
  statuses: z.array(z.unknown()).optional(),
});

export const WhatsAppContact = z.looseObject({
  wa_id: z.string().optional(),
  /** Business-scoped user id (customers with a username may have no `wa_id`). */
  user_id: z.string().optional(),
  profile: z.looseObject({ name: z.string().optional(), username: z.string().optional() }).optional(),
});
export type WhatsAppContact = z.infer<typeof WhatsAppContact>;

export const WhatsAppMedia = z.looseObject({
  id: z.string().min(1).max(512),
  mime_type: z.string().optional(),
  sha256: z.string().optional(),
  caption: z.string().optional(),
  filename: z.string().optional(),
});
export type WhatsAppMedia = z.infer<typeof WhatsAppMedia>;

const InteractiveChoice = z.looseObject({ id: z.string().min(1), title: z.string().optional() });

export const WhatsAppMessage = z.looseObject({
  /** `wamid.…`: the dedupe key. */
  id: Id,
  /** The customer's phone digits (`wa_id`); absent for a customer known only by a business-scoped user id. */
  from: z.string().optional(),
  from_user_id: z.string().optional(),
  timestamp: Timestamp,
  type: z.string().min(1).max(64),
  text: z.looseObject({ body: z.string() }).optional(),
  image: WhatsAppMedia.optional(),
  video: WhatsAppMedia.optional(),
  audio: WhatsAppMedia.optional(),
  voice: WhatsAppMedia.optional(),
  document: WhatsAppMedia.optional(),
  sticker: WhatsAppMedia.optional(),
  location: z
    .looseObject({ latitude: z.number(), longitude: z.number(), name: z.string().optional(), address: z.string().optional() })
    .optional(),
  /** A tap on an interactive message's reply button or list row. */
  interactive: z
    .looseObject({
      type: z.string(),
      button_reply: InteractiveChoice.optional(),
      list_reply: InteractiveChoice.optional(),
      nfm_reply: z.looseObject({ body: z.string().optional() }).optional(),
    })
    .optional(),
  /** A tap on a template's quick-reply button. */
  button: z.looseObject({ text: z.string().optional(), payload: z.string().optional() }).optional(),
});
export type WhatsAppMessage = z.infer<typeof WhatsAppMessage>;

export const WhatsAppStatus = z.looseObject({
  /** The `wamid` of the message Ombuds sent. */
  id: Id,
  status: z.string().min(1).max(64),
  timestamp: Timestamp,
  recipient_id: z.string().optional(),
});
export type WhatsAppStatus = z.infer<typeof WhatsAppStatus>;

// --- Messenger ----------------------------------------------------------------------------------------------------

export const MessengerAttachment = z.looseObject({
  type: z.string(),
  payload: z
    .looseObject({
      url: z.string().optional(),
      title: z.string().optional(),
      sticker_id: z.number().optional(),
      coordinates: z.looseObject({ lat: z.number(), long: z.number() }).optional(),
    })
    .nullish(),
});
export type MessengerAttachment = z.infer<typeof MessengerAttachment>;

export const MessengerEvent = z.looseObject({
  /** Page-scoped user id (PSID); events from plugins may carry `user_ref` instead and are not handled. */
  sender: z.looseObject({ id: Id }),
  recipient: z.looseObject({ id: Id }),
  /** Milliseconds. */
  timestamp: z.number().int().nonnegative().optional(),
  message: z
    .looseObject({
      /** The dedupe key. */
      mid: Id,
      text: z.string().optional(),
      /** A message the page itself sent, echoed back. */
      is_echo: z.boolean().optional(),
      quick_reply: z.looseObject({ payload: z.string() }).optional(),
      attachments: z.array(MessengerAttachment).optional(),
    })
    .optional(),
  postback: z.looseObject({ mid: z.string().optional(), title: z.string().optional(), payload: z.string().optional() }).optional(),
});
export type MessengerEvent = z.infer<typeof MessengerEvent>;
