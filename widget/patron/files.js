// Files the patron sends: the rules and helpers live in ../js/files.js (shared with the
// dashboard, so both accept the same files); this module keeps the names the widget imports.

export {
  ACCEPT, ALLOWED_TYPES, DEFAULT_MAX_BYTES, IMAGE_TYPES, LinkCache, checkFile, fileName, fileType, isImage,
  megabytes, normaliseType, uploadForm,
} from "../js/files.js";
export { httpUrl } from "../js/urls.js";
