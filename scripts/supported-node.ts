/**
 * Node 20+ is supported (package.json engines). The pinned AWS SDK supports Node 20 too; its NodeVersionSupportWarning
 * is about SDK releases after January 2027, which moving past will need Node 22 anyway: silenced on a supported engine.
 */
if (Number(process.versions.node.split(".")[0]) >= 20) process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
