/**
 * zod schemas for the parts of a Telegram `Update` that Ombuds reads (core.telegram.org/bots/api#update). They are
 * lenient on purpose: objects keep unknown fields, and fields the oldest documented samples lack (`chat.type`,
 * `is_bot`) are optional (CHANNELS.md §2). Update kinds we do not read are not validated at all, so a new kind
 * Telegram adds is answered "unsupported", never "invalid".
 */
import { z } from 'zod';

/** Telegram ids have at most 52 significant bits: safe as JS numbers. */
const TelegramId = z.number().int().min(-(2 ** 53 - 1)).max(2 ** 53 - 1);
const FileId = z.string().min(1).max(512);
const FileSize = z.number().int().nonnegative();

export const TelegramUser = z.looseObject({
  id: TelegramId,
  is_bot: z.boolean().optional(),
  first_name: z.string().optional(),
  last_name: z.string().optional(),
  username: z.string().optional(),
  language_code: z.string().optional(),
});
export type TelegramUser = z.infer<typeof TelegramUser>;

export const TelegramChat = z.looseObject({
  id: TelegramId,
  type: z.string().optional(),
  title: z.string().optional(),
  username: z.string().optional(),
});

export const TelegramPhotoSize = z.looseObject({
  file_id: FileId,
  file_unique_id: z.string().optional(),
  width: z.number().int().nonnegative().optional(),
  height: z.number().int().nonnegative().optional(),
  file_size: FileSize.optional(),
});
export type TelegramPhotoSize = z.infer<typeof TelegramPhotoSize>;

/** Documents, voice notes, audio, video, video notes and stickers share these fields. */
export const TelegramFile = z.looseObject({
  file_id: FileId,
  file_unique_id: z.string().optional(),
  file_name: z.string().optional(),
  title: z.string().optional(),
  mime_type: z.string().optional(),
  file_size: FileSize.optional(),
  emoji: z.string().optional(),
});
export type TelegramFile = z.infer<typeof TelegramFile>;

export const TelegramContact = z.looseObject({
  phone_number: z.string().min(1),
  first_name: z.string().optional(),
  last_name: z.string().optional(),
  user_id: TelegramId.optional(),
});

export const TelegramLocation = z.looseObject({ latitude: z.number(), longitude: z.number() });

export const TelegramMessage = z.looseObject({
  message_id: TelegramId,
  /** Unix seconds. */
  date: z.number().int().nonnegative(),
  edit_date: z.number().int().nonnegative().optional(),
  chat: TelegramChat,
  from: TelegramUser.optional(),
  text: z.string().optional(),
  caption: z.string().optional(),
  photo: z.array(TelegramPhotoSize).optional(),
  document: TelegramFile.optional(),
  voice: TelegramFile.optional(),
  audio: TelegramFile.optional(),
  video: TelegramFile.optional(),
  video_note: TelegramFile.optional(),
  sticker: TelegramFile.optional(),
  contact: TelegramContact.optional(),
  location: TelegramLocation.optional(),
});
export type TelegramMessage = z.infer<typeof TelegramMessage>;

/** A tap on an inline-keyboard button. `message` is the bot's message that carried the keyboard. */
export const TelegramCallbackQuery = z.looseObject({
  id: z.string().min(1).max(128),
  from: TelegramUser,
  message: z.looseObject({ message_id: TelegramId, chat: TelegramChat }).optional(),
  inline_message_id: z.string().optional(),
  data: z.string().optional(),
});
export type TelegramCallbackQuery = z.infer<typeof TelegramCallbackQuery>;

export const TelegramUpdate = z.looseObject({
  update_id: z.number().int().nonnegative(),
  message: TelegramMessage.optional(),
  edited_message: TelegramMessage.optional(),
  callback_query: TelegramCallbackQuery.optional(),
});
export type TelegramUpdate = z.infer<typeof TelegramUpdate>;
