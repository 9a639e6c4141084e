// AccountInventory: IAM snapshots: authorization details, credential reports and SCP files.
