/**
 * Messages that continue an existing complaint rather than open one: the answer to a satisfaction survey, and the
 * customer's answer to a request for information. The intake worker asks {@link FollowUps.claim} before it
 * classifies; a claimed message joins that complaint (its intake shell is merged into it). Also the survey's
 * expiry: a responded complaint whose survey is not answered in time closes.
 */
import type { FollowUpJob } from '../queue/index.js';
import {
  findComplaintAwaitingInformation,
  findOpenSurvey,
  listComplaintDeadlines,
  lockComplaintForAction,
  lockSurvey,
  mergeInboundInto,
  recordSurveyOutcome,
  resumeDeadlines,
  type LockedComplaint,
  type Queryable,
} from '../store/index.js';
import { commitEffects, enterStage, noEffects, type Effects } from './effects.js';
import type { EventDispatcher, MessageTemplates, OutboundQueue, TemplateId } from './ports.js';
import { parseSurveyAnswer } from './survey-answers.js';

export interface FollowUpMessage {
  messageId: string;
  /** The complaint shell intake opened for this message. */
  shellComplaintId: string;
  conversationId: string;
  /** Redacted text. */
  text: string;
  at: Date;
}

export interface FollowUps {
  /** Takes the message for an existing complaint when it answers one; null leaves it to ordinary intake. */
  claim(tx: Queryable, message: FollowUpMessage): Promise<{ complaintId: string; jobs: FollowUpJob[] } | null>;
  /** Closes a responded complaint whose survey went unanswered (a timer calls it); returns follow-up jobs. */
  surveyExpired(tx: Queryable, complaintId: string, at: Date): Promise<FollowUpJob[]>;
}

export interface FollowUpsConfig {
  outbound: OutboundQueue;
  dispatcher: EventDispatcher;
  templates: MessageTemplates;
  timerJobs: (deadlines: readonly { complaintId: string; deadlineId: string; startsAt: Date; dueAt: Date; status: string }[], now: Date) => FollowUpJob[];
  /** A score at or below this reopens the complaint for a callback. */
  lowScore: number;
}

const SURVEY_ACTOR = 'system:survey';

export function createFollowUps(config: FollowUpsConfig): FollowUps {
  async function thank(tx: Queryable, complaint: LockedComplaint, effects: Effects, template: TemplateId, at: Date): Promise<void> {
    const rendered = config.templates.render(template, complaint.language, { reference: complaint.reference, regime: complaint.regime ?? 'cn_nfra' });
    const queued = await config.outbound.queueMessage(tx, {
      complaintId: complaint.id,
      purpose: 'survey_thanks',
      text: rendered.text,
      quickReplies: rendered.quickReplies,
      language: complaint.language,
      actor: SURVEY_ACTOR,
      at,
    });
    effects.jobs.push(...queued.jobs);
  }

  async function answerSurvey(tx: Queryable, message: FollowUpMessage, complaintId: string): Promise<FollowUpJob[] | null> {
    const answer = parseSurveyAnswer(message.text);
    if (!answer) return null;
    const complaint = await lockComplaintForAction(tx, complaintId);
    const survey = await lockSurvey(tx, complaintId);
    if (!complaint || !survey || survey.outcome !== null) return null;
    const unhappy = (answer.score !== null && answer.score <= config.lowScore) || answer.resolved === false;
    const effects = noEffects();
    effects.events.push({ type: 'survey.answered', data: { messageId: message.messageId, score: answer.score, resolved: answer.resolved } });
    if (unhappy) {
      effects.change.closedAt = null;
      enterStage(effects, complaint, 'reopened', message.at, 'survey: not satisfied');
      if (complaint.assignee === null) effects.change.queuedAt = message.at;
      effects.notifications.push({
        kind: 'survey.callback',
        audience: complaint.assignee ? `staff:${complaint.assignee}` : `team:${complaint.team ?? 'general'}`,
        data: { reference: complaint.reference, score: answer.score, resolved: answer.resolved },
      });
      effects.notifications.push({ kind: 'survey.callback', audience: 'supervisors', data: { reference: complaint.reference, score: answer.score, resolved: answer.resolved } });
      effects.emits.push({ type: 'complaint.reopened', data: { reason: 'survey', score: answer.score, resolved: answer.resolved } });
    } else if (complaint.stage === 'responded') {
      effects.change.closedAt = message.at;
      effects.change.queuedAt = null;
      enterStage(effects, complaint, 'closed', message.at, 'survey answered');
      effects.emits.push({ type: 'complaint.closed', data: { score: answer.score } });
    }
    await recordSurveyOutcome(tx, {
      complaintId,
      at: message.at,
      score: answer.score,
      resolved: answer.resolved,
      comment: answer.comment,
      outcome: unhappy ? 'reopened' : 'closed',
    });
    await thank(tx, complaint, effects, unhappy ? 'survey_reopened' : 'survey_thanks', message.at);
    await mergeInboundInto(tx, { messageId: message.messageId, shellComplaintId: message.shellComplaintId, intoComplaintId: complaintId, at: message.at });
    return commitEffects(tx, config.dispatcher, complaint, effects, SURVEY_ACTOR, message.at);
  }

  async function answerInformationRequest(tx: Queryable, message: FollowUpMessage, complaintId: string): Promise<FollowUpJob[] | null> {
    const complaint = await lockComplaintForAction(tx, complaintId);
    if (!complaint || complaint.stage === 'closed') return null;
    const effects = noEffects();
    // Only the clocks the request stopped: a pause for an external appraisal runs on until staff resume it.
    const resumed = await resumeDeadlines(tx, complaint.id, message.at, { reason: 'awaiting_customer_information' });
    const deadlines = resumed.length > 0 ? (await listComplaintDeadlines(tx, complaint.id)).filter((deadline) => resumed.includes(deadline.id)) : [];
    effects.change.awaitingInformationSince = null;
    effects.events.push({
      type: 'information.received',
      data: { messageId: message.messageId, resumedClocks: deadlines.map((deadline) => ({ clock: deadline.clock, dueAt: deadline.dueAt.toISOString() })) },
    });
    effects.notifications.push({
      kind: 'information.received',
      audience: complaint.assignee ? `staff:${complaint.assignee}` : `team:${complaint.team ?? 'general'}`,
      data: { reference: complaint.reference },
    });
    effects.jobs.push(...config.timerJobs(deadlines.map((deadline) => ({ complaintId: complaint.id, deadlineId: deadline.id, startsAt: deadline.startsAt, dueAt: deadline.dueAt, status: deadline.status })), message.at));
    await mergeInboundInto(tx, { messageId: message.messageId, shellComplaintId: message.shellComplaintId, intoComplaintId: complaint.id, at: message.at });
    return commitEffects(tx, config.dispatcher, complaint, effects, 'system:intake', message.at);
  }

  return {
    async claim(tx, message) {
      const survey = await findOpenSurvey(tx, message.conversationId);
      if (survey && survey.expiresAt > message.at) {
        const jobs = await answerSurvey(tx, message, survey.complaintId);
        if (jobs) return { complaintId: survey.complaintId, jobs };
      }
      const awaiting = await findComplaintAwaitingInformation(tx, message.conversationId);
      if (awaiting) {
        const jobs = await answerInformationRequest(tx, message, awaiting);
        if (jobs) return { complaintId: awaiting, jobs };
      }
      return null;
    },

    async surveyExpired(tx, complaintId, at) {
      const complaint = await lockComplaintForAction(tx, complaintId);
      const survey = await lockSurvey(tx, complaintId);
      if (!complaint || !survey || survey.outcome !== null || survey.expiresAt > at) return [];
      await recordSurveyOutcome(tx, { complaintId, at, score: null, resolved: null, comment: null, outcome: 'expired' });
      const effects = noEffects();
      effects.events.push({ type: 'survey.expired', data: {} });
      if (complaint.stage === 'responded') {
        effects.change.closedAt = at;
        effects.change.queuedAt = null;
        enterStage(effects, complaint, 'closed', at, 'survey not answered in time');
        effects.emits.push({ type: 'complaint.closed', data: { survey: 'expired' } });
      }
      return commitEffects(tx, config.dispatcher, complaint, effects, SURVEY_ACTOR, at);
    },
  };
}
