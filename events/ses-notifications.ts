/**
 * SES bounce and complaint notifications (退信、投诉), as SES publishes them to the SNS topic of the
 * city's configuration set (event publishing: `eventType`) or of an identity (feedback notifications:
 * `notificationType`). Only the fields we act on are read; everything else passes.
 * https://docs.aws.amazon.com/ses/latest/dg/event-publishing-retrieving-sns-contents.html
 */
import * as z from '#shared/zod.ts';

const recipients = z.lazy(() => z.array(z.looseObject({ emailAddress: z.string().check(z.minLength(3)) })));

export const sesNotificationSchema = z.lazy(() =>
  z.looseObject({
    eventType: z.nullish(z.string()),
    notificationType: z.nullish(z.string()),
    // Absent in SES's own messages; null tolerated, so a stray null never hides the rest.
    bounce: z.nullish(z.looseObject({ bounceType: z.string(), bounceSubType: z.optional(z.string()), bouncedRecipients: recipients })),
    complaint: z.nullish(z.looseObject({ complainedRecipients: recipients, complaintFeedbackType: z.optional(z.string()) })),
    mail: z.nullish(z.looseObject({ messageId: z.optional(z.string()) })),
  }),
);
export type SesNotification = z.output<typeof sesNotificationSchema>;
