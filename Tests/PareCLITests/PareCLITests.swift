// PareCLITests
