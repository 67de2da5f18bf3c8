-- The queue job that claimed a delivery: a retry of that same job (its worker was killed after the
-- claim) may claim it again; any other delivery of the event is a duplicate.
ALTER TABLE "InboundDelivery" ADD COLUMN "claimToken" TEXT;
