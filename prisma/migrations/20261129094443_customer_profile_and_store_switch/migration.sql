-- AlterTable
ALTER TABLE "Customer" ADD COLUMN "address" TEXT;
ALTER TABLE "Customer" ADD COLUMN "contactTime" TEXT;
ALTER TABLE "Customer" ADD COLUMN "contactWay" TEXT;
ALTER TABLE "Customer" ADD COLUMN "driverName" TEXT;
ALTER TABLE "Customer" ADD COLUMN "notes" TEXT;
ALTER TABLE "Customer" ADD COLUMN "plate" TEXT;
ALTER TABLE "Customer" ADD COLUMN "salutation" TEXT;
ALTER TABLE "Customer" ADD COLUMN "vehicleModel" TEXT;
ALTER TABLE "Customer" ADD COLUMN "vin" TEXT;

-- AlterTable
ALTER TABLE "Lead" ADD COLUMN "modelOfInterest" TEXT;

-- AlterTable
ALTER TABLE "StaffSession" ADD COLUMN "storeId" TEXT;
