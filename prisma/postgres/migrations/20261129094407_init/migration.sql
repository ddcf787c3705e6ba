-- CreateEnum
CREATE TYPE "StaffRole" AS ENUM ('CONSULTANT', 'MANAGER', 'FRONT_DESK', 'ADMIN');

-- CreateEnum
CREATE TYPE "Channel" AS ENUM ('WEB', 'TELEGRAM', 'WECOM');

-- CreateEnum
CREATE TYPE "ConsentPurpose" AS ENUM ('SERVICE', 'MARKETING');

-- CreateEnum
CREATE TYPE "MessagePurpose" AS ENUM ('SERVICE', 'MARKETING', 'STAFF', 'REPLY');

-- CreateEnum
CREATE TYPE "BirthdayCalendar" AS ENUM ('GREGORIAN', 'LUNAR');

-- CreateEnum
CREATE TYPE "OrderStatus" AS ENUM ('ORDERED', 'DELIVERED', 'CANCELLED');

-- CreateEnum
CREATE TYPE "SurveyKind" AS ENUM ('VISIT', 'DELIVERY');

-- CreateEnum
CREATE TYPE "SurveyState" AS ENUM ('SCHEDULED', 'SENT', 'ANSWERING', 'COMPLETED', 'EXPIRED', 'DECLINED', 'STAFF_FOLLOW_UP');

-- CreateEnum
CREATE TYPE "TicketType" AS ENUM ('RECALL', 'COMPLAINT');

-- CreateEnum
CREATE TYPE "TicketStatus" AS ENUM ('OPEN', 'IN_PROGRESS', 'CLOSED');

-- CreateEnum
CREATE TYPE "LeadGrade" AS ENUM ('N', 'H', 'A', 'B', 'C', 'O', 'D', 'F');

-- CreateEnum
CREATE TYPE "LeadPool" AS ENUM ('ACTIVE', 'MARKETING');

-- CreateEnum
CREATE TYPE "LostRequestStatus" AS ENUM ('PENDING', 'APPROVED', 'REJECTED');

-- CreateEnum
CREATE TYPE "IntentState" AS ENUM ('PENDING', 'SENDING', 'SENT', 'FAILED_RETRYING', 'DEAD', 'EXPIRED', 'CANCELLED', 'UNKNOWN');

-- CreateTable
CREATE TABLE "DealerGroup" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "DealerGroup_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Store" (
    "id" TEXT NOT NULL,
    "groupId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "timeZone" TEXT NOT NULL,
    "address" TEXT NOT NULL DEFAULT '',
    "hotline" TEXT NOT NULL DEFAULT '',
    "customerHoursStart" TEXT NOT NULL DEFAULT '08:00',
    "customerHoursEnd" TEXT NOT NULL DEFAULT '21:00',
    "staffHoursStart" TEXT NOT NULL DEFAULT '08:30',
    "staffHoursEnd" TEXT NOT NULL DEFAULT '18:30',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "giftsPausedUntil" TIMESTAMP(3),
    "leadSettings" TEXT NOT NULL DEFAULT '{}',
    "journeySettings" TEXT NOT NULL DEFAULT '{}',

    CONSTRAINT "Store_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CarModel" (
    "id" TEXT NOT NULL,
    "storeId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "sortOrder" INTEGER NOT NULL,
    "active" BOOLEAN NOT NULL DEFAULT true,

    CONSTRAINT "CarModel_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Staff" (
    "id" TEXT NOT NULL,
    "storeId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "role" "StaffRole" NOT NULL,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "onDuty" BOOLEAN NOT NULL DEFAULT true,
    "senior" BOOLEAN NOT NULL DEFAULT false,
    "lastAssignedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Staff_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Customer" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "phone" TEXT NOT NULL,
    "birthday" TEXT,
    "birthdayCalendar" "BirthdayCalendar" NOT NULL DEFAULT 'GREGORIAN',
    "locale" TEXT NOT NULL DEFAULT 'zh-CN',
    "careStoppedAt" TIMESTAMP(3),
    "careStoppedReason" TEXT,
    "erasedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Customer_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ChannelIdentity" (
    "id" TEXT NOT NULL,
    "customerId" TEXT NOT NULL,
    "channel" "Channel" NOT NULL,
    "externalId" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastSeenAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "blockedAt" TIMESTAMP(3),
    "proof" TEXT,

    CONSTRAINT "ChannelIdentity_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "QrSource" (
    "id" TEXT NOT NULL,
    "code" TEXT NOT NULL,
    "label" TEXT NOT NULL,
    "channel" "Channel" NOT NULL,
    "storeId" TEXT NOT NULL,
    "campaignId" TEXT,
    "consultantId" TEXT,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "QrSource_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Campaign" (
    "id" TEXT NOT NULL,
    "storeId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "startsAt" TIMESTAMP(3) NOT NULL,
    "endsAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Campaign_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Gift" (
    "id" TEXT NOT NULL,
    "campaignId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "totalStock" INTEGER NOT NULL,
    "stockLeft" INTEGER NOT NULL,

    CONSTRAINT "Gift_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Visit" (
    "id" TEXT NOT NULL,
    "customerId" TEXT NOT NULL,
    "storeId" TEXT NOT NULL,
    "qrSourceId" TEXT,
    "consultantId" TEXT,
    "channel" "Channel" NOT NULL,
    "visitedAt" TIMESTAMP(3) NOT NULL,
    "modelOfInterest" TEXT,
    "heardFrom" TEXT NOT NULL,
    "companions" TEXT NOT NULL DEFAULT '',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Visit_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Registration" (
    "id" TEXT NOT NULL,
    "campaignId" TEXT NOT NULL,
    "customerId" TEXT NOT NULL,
    "visitId" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Registration_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Voucher" (
    "id" TEXT NOT NULL,
    "code" TEXT NOT NULL,
    "campaignId" TEXT NOT NULL,
    "giftId" TEXT NOT NULL,
    "customerId" TEXT NOT NULL,
    "registrationId" TEXT NOT NULL,
    "issuedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "redeemedAt" TIMESTAMP(3),
    "redeemedByStaffId" TEXT,

    CONSTRAINT "Voucher_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ConsentRecord" (
    "id" TEXT NOT NULL,
    "customerId" TEXT NOT NULL,
    "purpose" "ConsentPurpose" NOT NULL,
    "granted" BOOLEAN NOT NULL,
    "source" TEXT NOT NULL,
    "noticeVersion" TEXT NOT NULL,
    "recordedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ConsentRecord_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Conversation" (
    "id" TEXT NOT NULL,
    "channel" "Channel" NOT NULL,
    "externalId" TEXT NOT NULL,
    "flow" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 0,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Conversation_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "MessageIntent" (
    "id" TEXT NOT NULL,
    "dedupeKey" TEXT NOT NULL,
    "storeId" TEXT NOT NULL,
    "customerId" TEXT,
    "staffId" TEXT,
    "channel" "Channel",
    "address" TEXT,
    "purpose" "MessagePurpose" NOT NULL,
    "kind" TEXT NOT NULL,
    "payload" TEXT NOT NULL,
    "sendAt" TIMESTAMP(3) NOT NULL,
    "enqueueSeq" BIGINT NOT NULL DEFAULT 0,
    "lane" TEXT,
    "paceWaits" INTEGER NOT NULL DEFAULT 0,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "state" "IntentState" NOT NULL DEFAULT 'PENDING',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" TIMESTAMP(3),
    "leaseOwner" TEXT,
    "leaseExpiresAt" TIMESTAMP(3),
    "providerMessageId" TEXT,
    "lastError" TEXT,
    "sentAt" TIMESTAMP(3),
    "priority" INTEGER NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "MessageIntent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Alert" (
    "id" TEXT NOT NULL,
    "storeId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "message" TEXT NOT NULL,
    "intentId" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL,
    "resolvedAt" TIMESTAMP(3),

    CONSTRAINT "Alert_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CronFire" (
    "job" TEXT NOT NULL,
    "lastSlot" TIMESTAMP(3) NOT NULL,
    "firedAt" TIMESTAMP(3) NOT NULL,
    "failures" INTEGER NOT NULL DEFAULT 0,
    "retryAt" TIMESTAMP(3),
    "leaseUntil" TIMESTAMP(3),

    CONSTRAINT "CronFire_pkey" PRIMARY KEY ("job")
);

-- CreateTable
CREATE TABLE "WebChatMessage" (
    "id" SERIAL NOT NULL,
    "chatId" TEXT NOT NULL,
    "intentId" TEXT NOT NULL,
    "payload" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "WebChatMessage_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AdminLoginLink" (
    "id" TEXT NOT NULL,
    "tokenHash" TEXT NOT NULL,
    "staffId" TEXT NOT NULL,
    "kind" TEXT NOT NULL DEFAULT 'staff',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "usedAt" TIMESTAMP(3),

    CONSTRAINT "AdminLoginLink_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "StaffSession" (
    "id" TEXT NOT NULL,
    "tokenHash" TEXT NOT NULL,
    "staffId" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "lastSeenAt" TIMESTAMP(3),

    CONSTRAINT "StaffSession_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Order" (
    "id" TEXT NOT NULL,
    "storeId" TEXT NOT NULL,
    "customerId" TEXT NOT NULL,
    "consultantId" TEXT,
    "model" TEXT NOT NULL,
    "orderedAt" TIMESTAMP(3) NOT NULL,
    "deliveryAt" TIMESTAMP(3) NOT NULL,
    "status" "OrderStatus" NOT NULL DEFAULT 'ORDERED',
    "deliveredAt" TIMESTAMP(3),
    "cancelledAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Order_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "MessageTemplate" (
    "id" TEXT NOT NULL,
    "storeId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "locale" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "MessageTemplate_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AuditEntry" (
    "id" TEXT NOT NULL,
    "storeId" TEXT NOT NULL,
    "actorStaffId" TEXT,
    "action" TEXT NOT NULL,
    "entity" TEXT NOT NULL,
    "entityId" TEXT NOT NULL,
    "details" TEXT NOT NULL,
    "at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "AuditEntry_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "StaffTask" (
    "id" TEXT NOT NULL,
    "storeId" TEXT NOT NULL,
    "staffId" TEXT,
    "customerId" TEXT,
    "intentId" TEXT,
    "kind" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL,
    "doneAt" TIMESTAMP(3),

    CONSTRAINT "StaffTask_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Survey" (
    "id" TEXT NOT NULL,
    "storeId" TEXT NOT NULL,
    "customerId" TEXT NOT NULL,
    "consultantId" TEXT,
    "kind" "SurveyKind" NOT NULL,
    "subjectId" TEXT NOT NULL,
    "state" "SurveyState" NOT NULL DEFAULT 'SCHEDULED',
    "locale" TEXT NOT NULL DEFAULT 'zh-CN',
    "score" INTEGER,
    "scoredAt" TIMESTAMP(3),
    "factor" TEXT,
    "comment" TEXT,
    "unclearCount" INTEGER NOT NULL DEFAULT 0,
    "sendAt" TIMESTAMP(3) NOT NULL,
    "sentAt" TIMESTAMP(3),
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "completedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Survey_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Ticket" (
    "id" TEXT NOT NULL,
    "reference" TEXT NOT NULL,
    "storeId" TEXT NOT NULL,
    "type" "TicketType" NOT NULL,
    "status" "TicketStatus" NOT NULL DEFAULT 'OPEN',
    "customerId" TEXT,
    "consultantId" TEXT,
    "surveyId" TEXT,
    "score" INTEGER,
    "factor" TEXT,
    "description" TEXT NOT NULL,
    "ownerStaffId" TEXT,
    "takenAt" TIMESTAMP(3),
    "dueAt" TIMESTAMP(3) NOT NULL,
    "escalatedAt" TIMESTAMP(3),
    "rootCause" TEXT,
    "actionTaken" TEXT,
    "outcome" TEXT,
    "finalSatisfaction" INTEGER,
    "closedAt" TIMESTAMP(3),
    "closedByStaffId" TEXT,
    "chatKey" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Ticket_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Lead" (
    "id" TEXT NOT NULL,
    "storeId" TEXT NOT NULL,
    "customerId" TEXT NOT NULL,
    "ownerStaffId" TEXT,
    "grade" "LeadGrade" NOT NULL DEFAULT 'N',
    "gradedAt" TIMESTAMP(3),
    "source" TEXT NOT NULL,
    "firstVisitAt" TIMESTAMP(3) NOT NULL,
    "nextFollowUpAt" TIMESTAMP(3),
    "pool" "LeadPool" NOT NULL DEFAULT 'ACTIVE',
    "staleFlaggedAt" TIMESTAMP(3),
    "pooledAt" TIMESTAMP(3),
    "lostLevel" INTEGER,
    "lostReason" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Lead_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "FollowUp" (
    "id" TEXT NOT NULL,
    "leadId" TEXT NOT NULL,
    "staffId" TEXT NOT NULL,
    "way" TEXT NOT NULL,
    "note" TEXT NOT NULL,
    "gradeBefore" "LeadGrade" NOT NULL,
    "gradeAfter" "LeadGrade" NOT NULL,
    "nextFollowUpAt" TIMESTAMP(3),
    "at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "FollowUp_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "LostRequest" (
    "id" TEXT NOT NULL,
    "leadId" TEXT NOT NULL,
    "requestedById" TEXT NOT NULL,
    "level" INTEGER NOT NULL,
    "reason" TEXT NOT NULL,
    "competitorModel" TEXT,
    "status" "LostRequestStatus" NOT NULL DEFAULT 'PENDING',
    "decidedById" TEXT,
    "decidedAt" TIMESTAMP(3),
    "decisionNote" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "LostRequest_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "StaffChannelLink" (
    "id" TEXT NOT NULL,
    "staffId" TEXT NOT NULL,
    "channel" "Channel" NOT NULL,
    "externalId" TEXT NOT NULL,
    "linkedAt" TIMESTAMP(3) NOT NULL,
    "lastSeenAt" TIMESTAMP(3) NOT NULL,
    "blockedAt" TIMESTAMP(3),

    CONSTRAINT "StaffChannelLink_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "StaffInvitation" (
    "id" TEXT NOT NULL,
    "tokenHash" TEXT NOT NULL,
    "staffId" TEXT NOT NULL,
    "channel" "Channel" NOT NULL,
    "createdById" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "usedAt" TIMESTAMP(3),
    "usedBy" TEXT,

    CONSTRAINT "StaffInvitation_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "InboundUpdate" (
    "id" SERIAL NOT NULL,
    "channel" "Channel" NOT NULL,
    "updateId" TEXT NOT NULL,
    "chatId" TEXT NOT NULL,
    "payload" TEXT NOT NULL,
    "receivedAt" TIMESTAMP(3) NOT NULL,
    "handledAt" TIMESTAMP(3),
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "lastError" TEXT,

    CONSTRAINT "InboundUpdate_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PendingRegistration" (
    "id" TEXT NOT NULL,
    "storeId" TEXT NOT NULL,
    "qrSourceId" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "request" TEXT NOT NULL DEFAULT '{}',
    "phone" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "channel" "Channel" NOT NULL,
    "chatId" TEXT,
    "surface" TEXT NOT NULL,
    "locale" TEXT NOT NULL,
    "registrationId" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL,
    "resolvedAt" TIMESTAMP(3),
    "resolvedByStaffId" TEXT,

    CONSTRAINT "PendingRegistration_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "WecomContactWay" (
    "id" TEXT NOT NULL,
    "qrSourceCode" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "configId" TEXT NOT NULL,
    "qrCode" TEXT NOT NULL,
    "userIds" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "WecomContactWay_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "WecomWelcome" (
    "welcomeCode" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "externalUserId" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "error" TEXT,
    "claimedAt" TIMESTAMP(3) NOT NULL,
    "sentAt" TIMESTAMP(3),

    CONSTRAINT "WecomWelcome_pkey" PRIMARY KEY ("welcomeCode")
);

-- CreateTable
CREATE TABLE "WecomKfCursor" (
    "openKfId" TEXT NOT NULL,
    "cursor" TEXT NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "WecomKfCursor_pkey" PRIMARY KEY ("openKfId")
);

-- CreateTable
CREATE TABLE "WecomKfEntryLink" (
    "sourceCode" TEXT NOT NULL,
    "scene" TEXT NOT NULL,
    "openKfId" TEXT NOT NULL,
    "url" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "WecomKfEntryLink_pkey" PRIMARY KEY ("sourceCode")
);

-- CreateTable
CREATE TABLE "WecomKfChat" (
    "chatId" TEXT NOT NULL,
    "openKfId" TEXT NOT NULL,
    "externalUserId" TEXT NOT NULL,
    "lastCustomerAt" TIMESTAMP(3),
    "lastCustomerMsgid" TEXT,
    "sentSince" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "WecomKfChat_pkey" PRIMARY KEY ("chatId")
);

-- CreateTable
CREATE TABLE "WecomKfWelcome" (
    "welcomeCode" TEXT NOT NULL,
    "chatId" TEXT NOT NULL,
    "payload" TEXT NOT NULL,
    "eventAt" TIMESTAMP(3) NOT NULL,
    "claimedAt" TIMESTAMP(3),
    "sentAt" TIMESTAMP(3),
    "error" TEXT,

    CONSTRAINT "WecomKfWelcome_pkey" PRIMARY KEY ("welcomeCode")
);

-- CreateTable
CREATE TABLE "WecomTemplateTask" (
    "staffTaskId" TEXT NOT NULL,
    "storeId" TEXT NOT NULL,
    "staffId" TEXT NOT NULL,
    "sender" TEXT NOT NULL,
    "externalUserId" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "msgid" TEXT,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "leaseUntil" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL,
    "waitingSince" TIMESTAMP(3),
    "confirmedAt" TIMESTAMP(3),
    "checkedAt" TIMESTAMP(3),
    "chasedAt" TIMESTAMP(3),
    "reportedAt" TIMESTAMP(3),
    "error" TEXT,

    CONSTRAINT "WecomTemplateTask_pkey" PRIMARY KEY ("staffTaskId")
);

-- CreateTable
CREATE TABLE "StaffHandover" (
    "id" TEXT NOT NULL,
    "storeId" TEXT NOT NULL,
    "fromStaffId" TEXT NOT NULL,
    "toStaffId" TEXT NOT NULL,
    "requestedById" TEXT NOT NULL,
    "openKey" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL,
    "closedAt" TIMESTAMP(3),

    CONSTRAINT "StaffHandover_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "WecomHandover" (
    "handoverId" TEXT NOT NULL,
    "handoverUserId" TEXT NOT NULL,
    "takeoverUserId" TEXT NOT NULL,
    "mode" TEXT NOT NULL,
    "listedAt" TIMESTAMP(3),

    CONSTRAINT "WecomHandover_pkey" PRIMARY KEY ("handoverId")
);

-- CreateTable
CREATE TABLE "WecomCustomerTransfer" (
    "id" TEXT NOT NULL,
    "handoverId" TEXT NOT NULL,
    "externalUserId" TEXT NOT NULL,
    "takeoverUserId" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "outcome" TEXT,
    "startedAt" TIMESTAMP(3),
    "checkAt" TIMESTAMP(3),
    "finishedAt" TIMESTAMP(3),

    CONSTRAINT "WecomCustomerTransfer_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DataRequest" (
    "id" TEXT NOT NULL,
    "storeId" TEXT NOT NULL,
    "customerId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "via" TEXT NOT NULL,
    "recordedByStaffId" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL,
    "completedAt" TIMESTAMP(3),
    "completedByStaffId" TEXT,

    CONSTRAINT "DataRequest_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "CarModel_storeId_name_key" ON "CarModel"("storeId", "name");

-- CreateIndex
CREATE UNIQUE INDEX "Customer_phone_key" ON "Customer"("phone");

-- CreateIndex
CREATE INDEX "ChannelIdentity_customerId_idx" ON "ChannelIdentity"("customerId");

-- CreateIndex
CREATE UNIQUE INDEX "ChannelIdentity_channel_externalId_key" ON "ChannelIdentity"("channel", "externalId");

-- CreateIndex
CREATE UNIQUE INDEX "QrSource_code_key" ON "QrSource"("code");

-- CreateIndex
CREATE INDEX "Visit_storeId_visitedAt_idx" ON "Visit"("storeId", "visitedAt");

-- CreateIndex
CREATE INDEX "Visit_qrSourceId_visitedAt_idx" ON "Visit"("qrSourceId", "visitedAt");

-- CreateIndex
CREATE UNIQUE INDEX "Registration_visitId_key" ON "Registration"("visitId");

-- CreateIndex
CREATE UNIQUE INDEX "Registration_campaignId_customerId_key" ON "Registration"("campaignId", "customerId");

-- CreateIndex
CREATE UNIQUE INDEX "Voucher_code_key" ON "Voucher"("code");

-- CreateIndex
CREATE UNIQUE INDEX "Voucher_registrationId_key" ON "Voucher"("registrationId");

-- CreateIndex
CREATE INDEX "Voucher_campaignId_issuedAt_idx" ON "Voucher"("campaignId", "issuedAt");

-- CreateIndex
CREATE UNIQUE INDEX "Voucher_campaignId_customerId_key" ON "Voucher"("campaignId", "customerId");

-- CreateIndex
CREATE INDEX "ConsentRecord_customerId_purpose_recordedAt_idx" ON "ConsentRecord"("customerId", "purpose", "recordedAt");

-- CreateIndex
CREATE UNIQUE INDEX "Conversation_channel_externalId_key" ON "Conversation"("channel", "externalId");

-- CreateIndex
CREATE UNIQUE INDEX "MessageIntent_dedupeKey_key" ON "MessageIntent"("dedupeKey");

-- CreateIndex
CREATE INDEX "MessageIntent_nextAttemptAt_createdAt_id_idx" ON "MessageIntent"("nextAttemptAt", "createdAt", "id");

-- CreateIndex
CREATE INDEX "MessageIntent_lane_sendAt_enqueueSeq_idx" ON "MessageIntent"("lane", "sendAt", "enqueueSeq");

-- CreateIndex
CREATE INDEX "MessageIntent_state_idx" ON "MessageIntent"("state");

-- CreateIndex
CREATE INDEX "MessageIntent_customerId_idx" ON "MessageIntent"("customerId");

-- CreateIndex
CREATE INDEX "Alert_storeId_resolvedAt_idx" ON "Alert"("storeId", "resolvedAt");

-- CreateIndex
CREATE UNIQUE INDEX "WebChatMessage_intentId_key" ON "WebChatMessage"("intentId");

-- CreateIndex
CREATE INDEX "WebChatMessage_chatId_id_idx" ON "WebChatMessage"("chatId", "id");

-- CreateIndex
CREATE UNIQUE INDEX "AdminLoginLink_tokenHash_key" ON "AdminLoginLink"("tokenHash");

-- CreateIndex
CREATE UNIQUE INDEX "StaffSession_tokenHash_key" ON "StaffSession"("tokenHash");

-- CreateIndex
CREATE INDEX "Order_customerId_idx" ON "Order"("customerId");

-- CreateIndex
CREATE UNIQUE INDEX "MessageTemplate_storeId_kind_locale_key" ON "MessageTemplate"("storeId", "kind", "locale");

-- CreateIndex
CREATE INDEX "AuditEntry_entity_entityId_idx" ON "AuditEntry"("entity", "entityId");

-- CreateIndex
CREATE UNIQUE INDEX "StaffTask_intentId_key" ON "StaffTask"("intentId");

-- CreateIndex
CREATE INDEX "StaffTask_storeId_doneAt_idx" ON "StaffTask"("storeId", "doneAt");

-- CreateIndex
CREATE INDEX "Survey_customerId_state_idx" ON "Survey"("customerId", "state");

-- CreateIndex
CREATE UNIQUE INDEX "Survey_kind_subjectId_key" ON "Survey"("kind", "subjectId");

-- CreateIndex
CREATE UNIQUE INDEX "Ticket_reference_key" ON "Ticket"("reference");

-- CreateIndex
CREATE INDEX "Ticket_storeId_status_idx" ON "Ticket"("storeId", "status");

-- CreateIndex
CREATE INDEX "Ticket_chatKey_createdAt_idx" ON "Ticket"("chatKey", "createdAt");

-- CreateIndex
CREATE INDEX "Lead_ownerStaffId_nextFollowUpAt_idx" ON "Lead"("ownerStaffId", "nextFollowUpAt");

-- CreateIndex
CREATE UNIQUE INDEX "Lead_storeId_customerId_key" ON "Lead"("storeId", "customerId");

-- CreateIndex
CREATE INDEX "FollowUp_staffId_at_idx" ON "FollowUp"("staffId", "at");

-- CreateIndex
CREATE INDEX "LostRequest_leadId_status_idx" ON "LostRequest"("leadId", "status");

-- CreateIndex
CREATE INDEX "StaffChannelLink_staffId_idx" ON "StaffChannelLink"("staffId");

-- CreateIndex
CREATE UNIQUE INDEX "StaffChannelLink_channel_externalId_key" ON "StaffChannelLink"("channel", "externalId");

-- CreateIndex
CREATE UNIQUE INDEX "StaffInvitation_tokenHash_key" ON "StaffInvitation"("tokenHash");

-- CreateIndex
CREATE INDEX "InboundUpdate_handledAt_chatId_id_idx" ON "InboundUpdate"("handledAt", "chatId", "id");

-- CreateIndex
CREATE UNIQUE INDEX "InboundUpdate_channel_updateId_key" ON "InboundUpdate"("channel", "updateId");

-- CreateIndex
CREATE INDEX "PendingRegistration_storeId_resolvedAt_idx" ON "PendingRegistration"("storeId", "resolvedAt");

-- CreateIndex
CREATE INDEX "PendingRegistration_storeId_createdAt_idx" ON "PendingRegistration"("storeId", "createdAt");

-- CreateIndex
CREATE INDEX "PendingRegistration_qrSourceId_createdAt_idx" ON "PendingRegistration"("qrSourceId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "WecomContactWay_qrSourceCode_key" ON "WecomContactWay"("qrSourceCode");

-- CreateIndex
CREATE UNIQUE INDEX "WecomContactWay_state_key" ON "WecomContactWay"("state");

-- CreateIndex
CREATE UNIQUE INDEX "WecomKfEntryLink_scene_key" ON "WecomKfEntryLink"("scene");

-- CreateIndex
CREATE UNIQUE INDEX "WecomTemplateTask_msgid_key" ON "WecomTemplateTask"("msgid");

-- CreateIndex
CREATE INDEX "WecomTemplateTask_state_idx" ON "WecomTemplateTask"("state");

-- CreateIndex
CREATE INDEX "WecomTemplateTask_storeId_createdAt_idx" ON "WecomTemplateTask"("storeId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "StaffHandover_openKey_key" ON "StaffHandover"("openKey");

-- CreateIndex
CREATE INDEX "WecomCustomerTransfer_state_checkAt_idx" ON "WecomCustomerTransfer"("state", "checkAt");

-- CreateIndex
CREATE INDEX "WecomCustomerTransfer_takeoverUserId_externalUserId_idx" ON "WecomCustomerTransfer"("takeoverUserId", "externalUserId");

-- CreateIndex
CREATE UNIQUE INDEX "WecomCustomerTransfer_handoverId_externalUserId_key" ON "WecomCustomerTransfer"("handoverId", "externalUserId");

-- CreateIndex
CREATE INDEX "DataRequest_storeId_completedAt_idx" ON "DataRequest"("storeId", "completedAt");

-- CreateIndex
CREATE INDEX "DataRequest_customerId_idx" ON "DataRequest"("customerId");

-- AddForeignKey
ALTER TABLE "Store" ADD CONSTRAINT "Store_groupId_fkey" FOREIGN KEY ("groupId") REFERENCES "DealerGroup"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CarModel" ADD CONSTRAINT "CarModel_storeId_fkey" FOREIGN KEY ("storeId") REFERENCES "Store"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Staff" ADD CONSTRAINT "Staff_storeId_fkey" FOREIGN KEY ("storeId") REFERENCES "Store"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ChannelIdentity" ADD CONSTRAINT "ChannelIdentity_customerId_fkey" FOREIGN KEY ("customerId") REFERENCES "Customer"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "QrSource" ADD CONSTRAINT "QrSource_storeId_fkey" FOREIGN KEY ("storeId") REFERENCES "Store"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "QrSource" ADD CONSTRAINT "QrSource_campaignId_fkey" FOREIGN KEY ("campaignId") REFERENCES "Campaign"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "QrSource" ADD CONSTRAINT "QrSource_consultantId_fkey" FOREIGN KEY ("consultantId") REFERENCES "Staff"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Campaign" ADD CONSTRAINT "Campaign_storeId_fkey" FOREIGN KEY ("storeId") REFERENCES "Store"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Gift" ADD CONSTRAINT "Gift_campaignId_fkey" FOREIGN KEY ("campaignId") REFERENCES "Campaign"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Visit" ADD CONSTRAINT "Visit_customerId_fkey" FOREIGN KEY ("customerId") REFERENCES "Customer"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Visit" ADD CONSTRAINT "Visit_storeId_fkey" FOREIGN KEY ("storeId") REFERENCES "Store"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Visit" ADD CONSTRAINT "Visit_qrSourceId_fkey" FOREIGN KEY ("qrSourceId") REFERENCES "QrSource"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Visit" ADD CONSTRAINT "Visit_consultantId_fkey" FOREIGN KEY ("consultantId") REFERENCES "Staff"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Registration" ADD CONSTRAINT "Registration_campaignId_fkey" FOREIGN KEY ("campaignId") REFERENCES "Campaign"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Registration" ADD CONSTRAINT "Registration_customerId_fkey" FOREIGN KEY ("customerId") REFERENCES "Customer"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Registration" ADD CONSTRAINT "Registration_visitId_fkey" FOREIGN KEY ("visitId") REFERENCES "Visit"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Voucher" ADD CONSTRAINT "Voucher_campaignId_fkey" FOREIGN KEY ("campaignId") REFERENCES "Campaign"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Voucher" ADD CONSTRAINT "Voucher_giftId_fkey" FOREIGN KEY ("giftId") REFERENCES "Gift"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Voucher" ADD CONSTRAINT "Voucher_customerId_fkey" FOREIGN KEY ("customerId") REFERENCES "Customer"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Voucher" ADD CONSTRAINT "Voucher_registrationId_fkey" FOREIGN KEY ("registrationId") REFERENCES "Registration"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Voucher" ADD CONSTRAINT "Voucher_redeemedByStaffId_fkey" FOREIGN KEY ("redeemedByStaffId") REFERENCES "Staff"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ConsentRecord" ADD CONSTRAINT "ConsentRecord_customerId_fkey" FOREIGN KEY ("customerId") REFERENCES "Customer"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MessageIntent" ADD CONSTRAINT "MessageIntent_storeId_fkey" FOREIGN KEY ("storeId") REFERENCES "Store"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MessageIntent" ADD CONSTRAINT "MessageIntent_customerId_fkey" FOREIGN KEY ("customerId") REFERENCES "Customer"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Alert" ADD CONSTRAINT "Alert_storeId_fkey" FOREIGN KEY ("storeId") REFERENCES "Store"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Alert" ADD CONSTRAINT "Alert_intentId_fkey" FOREIGN KEY ("intentId") REFERENCES "MessageIntent"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AdminLoginLink" ADD CONSTRAINT "AdminLoginLink_staffId_fkey" FOREIGN KEY ("staffId") REFERENCES "Staff"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "StaffSession" ADD CONSTRAINT "StaffSession_staffId_fkey" FOREIGN KEY ("staffId") REFERENCES "Staff"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Order" ADD CONSTRAINT "Order_storeId_fkey" FOREIGN KEY ("storeId") REFERENCES "Store"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Order" ADD CONSTRAINT "Order_customerId_fkey" FOREIGN KEY ("customerId") REFERENCES "Customer"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Order" ADD CONSTRAINT "Order_consultantId_fkey" FOREIGN KEY ("consultantId") REFERENCES "Staff"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MessageTemplate" ADD CONSTRAINT "MessageTemplate_storeId_fkey" FOREIGN KEY ("storeId") REFERENCES "Store"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AuditEntry" ADD CONSTRAINT "AuditEntry_storeId_fkey" FOREIGN KEY ("storeId") REFERENCES "Store"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AuditEntry" ADD CONSTRAINT "AuditEntry_actorStaffId_fkey" FOREIGN KEY ("actorStaffId") REFERENCES "Staff"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "StaffTask" ADD CONSTRAINT "StaffTask_storeId_fkey" FOREIGN KEY ("storeId") REFERENCES "Store"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "StaffTask" ADD CONSTRAINT "StaffTask_staffId_fkey" FOREIGN KEY ("staffId") REFERENCES "Staff"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "StaffTask" ADD CONSTRAINT "StaffTask_customerId_fkey" FOREIGN KEY ("customerId") REFERENCES "Customer"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Survey" ADD CONSTRAINT "Survey_storeId_fkey" FOREIGN KEY ("storeId") REFERENCES "Store"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Survey" ADD CONSTRAINT "Survey_customerId_fkey" FOREIGN KEY ("customerId") REFERENCES "Customer"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Survey" ADD CONSTRAINT "Survey_consultantId_fkey" FOREIGN KEY ("consultantId") REFERENCES "Staff"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Ticket" ADD CONSTRAINT "Ticket_storeId_fkey" FOREIGN KEY ("storeId") REFERENCES "Store"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Ticket" ADD CONSTRAINT "Ticket_customerId_fkey" FOREIGN KEY ("customerId") REFERENCES "Customer"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Ticket" ADD CONSTRAINT "Ticket_consultantId_fkey" FOREIGN KEY ("consultantId") REFERENCES "Staff"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Ticket" ADD CONSTRAINT "Ticket_surveyId_fkey" FOREIGN KEY ("surveyId") REFERENCES "Survey"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Ticket" ADD CONSTRAINT "Ticket_ownerStaffId_fkey" FOREIGN KEY ("ownerStaffId") REFERENCES "Staff"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Ticket" ADD CONSTRAINT "Ticket_closedByStaffId_fkey" FOREIGN KEY ("closedByStaffId") REFERENCES "Staff"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Lead" ADD CONSTRAINT "Lead_storeId_fkey" FOREIGN KEY ("storeId") REFERENCES "Store"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Lead" ADD CONSTRAINT "Lead_customerId_fkey" FOREIGN KEY ("customerId") REFERENCES "Customer"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Lead" ADD CONSTRAINT "Lead_ownerStaffId_fkey" FOREIGN KEY ("ownerStaffId") REFERENCES "Staff"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "FollowUp" ADD CONSTRAINT "FollowUp_leadId_fkey" FOREIGN KEY ("leadId") REFERENCES "Lead"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "FollowUp" ADD CONSTRAINT "FollowUp_staffId_fkey" FOREIGN KEY ("staffId") REFERENCES "Staff"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LostRequest" ADD CONSTRAINT "LostRequest_leadId_fkey" FOREIGN KEY ("leadId") REFERENCES "Lead"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LostRequest" ADD CONSTRAINT "LostRequest_requestedById_fkey" FOREIGN KEY ("requestedById") REFERENCES "Staff"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LostRequest" ADD CONSTRAINT "LostRequest_decidedById_fkey" FOREIGN KEY ("decidedById") REFERENCES "Staff"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "StaffChannelLink" ADD CONSTRAINT "StaffChannelLink_staffId_fkey" FOREIGN KEY ("staffId") REFERENCES "Staff"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "StaffInvitation" ADD CONSTRAINT "StaffInvitation_staffId_fkey" FOREIGN KEY ("staffId") REFERENCES "Staff"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "StaffInvitation" ADD CONSTRAINT "StaffInvitation_createdById_fkey" FOREIGN KEY ("createdById") REFERENCES "Staff"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PendingRegistration" ADD CONSTRAINT "PendingRegistration_storeId_fkey" FOREIGN KEY ("storeId") REFERENCES "Store"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "WecomTemplateTask" ADD CONSTRAINT "WecomTemplateTask_staffTaskId_fkey" FOREIGN KEY ("staffTaskId") REFERENCES "StaffTask"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "StaffHandover" ADD CONSTRAINT "StaffHandover_fromStaffId_fkey" FOREIGN KEY ("fromStaffId") REFERENCES "Staff"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "StaffHandover" ADD CONSTRAINT "StaffHandover_toStaffId_fkey" FOREIGN KEY ("toStaffId") REFERENCES "Staff"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "StaffHandover" ADD CONSTRAINT "StaffHandover_requestedById_fkey" FOREIGN KEY ("requestedById") REFERENCES "Staff"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "WecomHandover" ADD CONSTRAINT "WecomHandover_handoverId_fkey" FOREIGN KEY ("handoverId") REFERENCES "StaffHandover"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "WecomCustomerTransfer" ADD CONSTRAINT "WecomCustomerTransfer_handoverId_fkey" FOREIGN KEY ("handoverId") REFERENCES "StaffHandover"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DataRequest" ADD CONSTRAINT "DataRequest_storeId_fkey" FOREIGN KEY ("storeId") REFERENCES "Store"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DataRequest" ADD CONSTRAINT "DataRequest_customerId_fkey" FOREIGN KEY ("customerId") REFERENCES "Customer"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
