// AccountInventoryTests
