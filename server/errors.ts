/**
 * S3 errors: one table from error code to HTTP status and default message, and the
 * `S3Error` every handler throws. The edge (`server/http/reply.ts`) turns it into S3 XML.
 * Messages are AWS's verbatim (S3 API reference, "Error responses").
 */

export const S3_ERRORS = {
  AccessDenied: [403, 'Access Denied'],
  AccessControlListNotSupported: [400, 'The bucket does not allow ACLs'],
  AccessForbidden: [403, 'CORSResponse: This CORS request is not allowed.'],
  AuthorizationHeaderMalformed: [400, 'The authorization header is malformed.'],
  AuthorizationQueryParametersError: [400, 'Error parsing the X-Amz-Credential parameter.'],
  BadDigest: [400, 'The Content-MD5 you specified did not match what we received.'],
  BadRequest: [400, 'Bad Request'],
  BucketAlreadyExists: [409, 'The requested bucket name is not available. The bucket namespace is shared by all users of the system. Please select a different name and try again.'],
  BucketAlreadyOwnedByYou: [409, 'Your previous request to create the named bucket succeeded and you already own it.'],
  BucketNotEmpty: [409, 'The bucket you tried to delete is not empty'],
  // docs/spec/website.md §3.10d: the website endpoint's 302 to `key/` is rendered as an error page.
  Found: [302, 'Resource Found'],
  EntityTooLarge: [400, 'Your proposed upload exceeds the maximum allowed size'],
  EntityTooSmall: [400, 'Your proposed upload is smaller than the minimum allowed object size.'],
  // docs/spec/website.md §3.18. UNVERIFIED(S3): the code a website endpoint of another region gives.
  IncorrectEndpoint: [400, 'The specified bucket exists in another region. Please direct requests to the specified endpoint.'],
  IncompleteBody: [400, 'You did not provide the number of bytes specified by the Content-Length HTTP header'],
  IllegalVersioningConfigurationException: [400, 'The Versioning element must be specified'],
  IncompleteSignature: [400, 'The request signature does not conform to AWS standards.'],
  InternalError: [500, 'We encountered an internal error. Please try again.'],
  InvalidAccessKeyId: [403, 'The AWS Access Key Id you provided does not exist in our records.'],
  InvalidArgument: [400, 'Invalid Argument'],
  InvalidBucketAclWithObjectOwnership: [400, "Bucket cannot have ACLs set with ObjectOwnership's BucketOwnerEnforced setting"],
  // UNVERIFIED(S3): the status; code and message as S3 answers a CreateBucket with a public ACL
  // while Block Public Access is on (docs/spec/access.md §5 R5.4).
  InvalidBucketAclWithBlockPublicAccessError: [400, 'Bucket cannot have public ACLs set with BlockPublicAccess enabled'],
  InvalidBucketName: [400, 'The specified bucket is not valid.'],
  InvalidBucketState: [409, 'The request is not valid with the current state of the bucket.'],
  InvalidChunkSizeError: [403, 'Only the last chunk is allowed to have a size less than 8192 bytes'],
  InvalidDigest: [400, 'The Content-MD5 you specified was invalid.'],
  InvalidPolicyDocument: [400, 'The content of the form does not meet the conditions specified in the policy document.'],
  InvalidPart: [400, 'One or more of the specified parts could not be found.  The part may not have been uploaded, or the specified entity tag may not match the part\'s entity tag.'],
  InvalidPartOrder: [400, 'The list of parts was not in ascending order. Parts must be ordered by part number.'],
  InvalidPartNumber: [416, 'The requested partnumber is not satisfiable'],
  InvalidRange: [416, 'The requested range is not satisfiable'],
  InvalidRequest: [400, 'Invalid Request'],
  InvalidURI: [400, "Couldn't parse the specified URI."],
  InvalidStorageClass: [400, 'The storage class you specified is not valid'],
  KeyTooLongError: [400, 'Your key is too long'],
  MalformedACLError: [400, 'The XML you provided was not well-formed or did not validate against our published schema'],
  MalformedPolicy: [400, 'Policies must be valid JSON and the first byte must be \'{\''],
  MalformedPOSTRequest: [400, 'The body of your POST request is not well-formed multipart/form-data.'],
  MalformedTrailerError: [400, 'The request contained trailing data that was not well-formed or did not conform to our published schema.'],
  MalformedXML: [400, 'The XML you provided was not well-formed or did not validate against our published schema'],
  MaxMessageLengthExceeded: [400, 'Your request was too big.'],
  MaxPostPreDataLengthExceededError: [400, 'Your POST request fields preceding the upload file were too large.'],
  MetadataTooLarge: [400, 'Your metadata headers exceed the maximum allowed metadata size.'],
  MethodNotAllowed: [405, 'The specified method is not allowed against this resource.'],
  MissingContentLength: [411, 'You must provide the Content-Length HTTP header.'],
  MissingSecurityHeader: [400, 'Your request was missing a required header.'],
  NoSuchBucket: [404, 'The specified bucket does not exist'],
  NoSuchCORSConfiguration: [404, 'The CORS configuration does not exist'],
  NoSuchBucketPolicy: [404, 'The bucket policy does not exist'],
  NoSuchKey: [404, 'The specified key does not exist.'],
  NoSuchPublicAccessBlockConfiguration: [404, 'The public access block configuration was not found'],
  NoSuchObjectLockConfiguration: [404, 'The specified object does not have a ObjectLock configuration'],
  NoSuchUpload: [404, 'The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.'],
  NoSuchVersion: [404, 'The specified version does not exist.'],
  NotImplemented: [501, 'A header you provided implies functionality that is not implemented'],
  NotModified: [304, 'Not Modified'],
  OwnershipControlsNotFoundError: [404, 'The bucket ownership controls were not found'],
  ObjectLockConfigurationNotFoundError: [404, 'Object Lock configuration does not exist for this bucket'],
  PreconditionFailed: [412, 'At least one of the pre-conditions you specified did not hold'],
  // UNVERIFIED(S3): the message (the error-code table's wording).
  RequestHeaderSectionTooLarge: [400, 'The request header and query parameters used to make the request exceed the maximum allowed size.'],
  RequestTimeout: [400, 'Your socket connection to the server was not read from or written to within the timeout period. Idle connections will be closed.'],
  RequestTimeTooSkewed: [403, 'The difference between the request time and the current time is too large.'],
  SignatureDoesNotMatch: [403, 'The request signature we calculated does not match the signature you provided. Check your key and signing method.'],
  // docs/spec/bucket-config.md §B: the bucket configuration surface.
  CrossLocationLoggingProhibitted: [403, 'Cross S3 location logging not allowed. '],
  InvalidBucketOwnerAWSAccountID: [400, 'The value of the expected bucket owner parameter must be an AWS Account ID...'],
  InvalidEncryptionAlgorithmError: [400, 'The Encryption request you specified is not valid. Supported value: AES256.'],
  InvalidObjectState: [403, "The operation is not valid for the object's storage class"],
  InvalidRedirectLocation: [400, "The website redirect location must have a prefix of 'http://' or 'https://' or '/'."],
  InvalidTag: [400, 'The TagKey you have provided is invalid'],
  InvalidTargetBucketForLogging: [400, 'The target bucket for logging does not exist'],
  NoSuchConfiguration: [404, 'The specified configuration does not exist.'],
  TooManyConfigurations: [400, 'You are attempting to create a new configuration but have already reached the 1,000-configuration limit.'],
  NoSuchLifecycleConfiguration: [404, 'The lifecycle configuration does not exist'],
  NoSuchTagSet: [404, 'The TagSet does not exist'],
  NoSuchWebsiteConfiguration: [404, 'The specified bucket does not have a website configuration'],
  PermanentRedirect: [301, 'The bucket you are attempting to access must be addressed using the specified endpoint. Please send all future requests to this endpoint.'],
  ReplicationConfigurationNotFoundError: [404, 'The replication configuration was not found'],
  ConditionalRequestConflict: [409, 'The conditional request cannot succeed due to a conflicting operation against this resource.'],
  UnexpectedContent: [400, 'This request does not support content'],
  UnresolvableGrantByEmailAddress: [400, 'The email address you provided does not match any account on record.'],
  XAmzContentSHA256Mismatch: [400, "The provided 'x-amz-content-sha256' header does not match what was computed."],
} as const satisfies Record<string, readonly [number, string]>;

export type S3ErrorCode = keyof typeof S3_ERRORS;

/** Extra elements S3 adds to an error body after Message (BucketName, Key, Method, ...), in order. */
export type ErrorExtras = Record<string, string | undefined>;

export class S3Error extends Error {
  readonly code: S3ErrorCode;
  readonly status: number;
  readonly extras: ErrorExtras;
  /** Response headers S3 sends with this error (e.g. Allow on 405, x-amz-delete-marker). */
  readonly headers: Record<string, string>;

  constructor(code: S3ErrorCode, message?: string, extras: ErrorExtras = {}, headers: Record<string, string> = {}) {
    const [status, defaultMessage] = S3_ERRORS[code];
    super(message ?? defaultMessage);
    this.name = 'S3Error';
    this.code = code;
    this.status = status;
    this.extras = extras;
    this.headers = headers;
  }
}

export function isS3Error(err: unknown): err is S3Error {
  return err instanceof S3Error;
}

/** Errors from `server/auth` (AuthError or AuthFailure) carry S3 codes; make them S3Errors. */
export function fromAuthFailure(failure: { code: string; message: string; extra?: Record<string, string> }): S3Error {
  const code = (failure.code in S3_ERRORS ? failure.code : 'AccessDenied') as S3ErrorCode;
  return new S3Error(code, failure.message, failure.extra ?? {});
}
