// Ends every Jest run with one plain line CI can read: "tests: N passed, N failed, N skipped".
// Also written to $TEST_SUMMARY_FILE when set, so a wrapper can repeat it as its last line.
const fs = require('node:fs');

class SummaryReporter {
  onRunComplete(_contexts, results) {
    const failed = results.numFailedTests + results.numRuntimeErrorTestSuites;
    const skipped = results.numPendingTests + results.numTodoTests;
    const line = `tests: ${results.numPassedTests} passed, ${failed} failed, ${skipped} skipped`;
    process.stdout.write(`\n${line}\n`);
    if (process.env.TEST_SUMMARY_FILE) fs.writeFileSync(process.env.TEST_SUMMARY_FILE, `${line}\n`);
  }
}
module.exports = SummaryReporter;
