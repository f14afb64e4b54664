/**
 * How a library function says "this runtime cannot do that here" (a limit of JavaScript, not the
 * rule failing): the rule is then listed as not checked for that value, never passed or failed.
 */
export const UNSUPPORTED = "kube-codegen cannot evaluate this here: ";
