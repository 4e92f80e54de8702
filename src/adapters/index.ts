/** Channel adapters, one folder each. Vendor SDKs live here and nowhere else. */
export * as apiChannel from './api/index.js';
export * as botFrameworkChannel from './botframework/index.js';
export * as metaChannel from './meta/index.js';
export * as telegramChannel from './telegram/index.js';
export * as webChatChannel from './webchat/index.js';
export * as weChatChannel from './wechat/index.js';
