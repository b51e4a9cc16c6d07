import { z } from 'zod';
import { fileNameProblem, mediaTypeProblem } from '../media-type';

/** A part's media type, when given: RFC 6838's type/subtype with RFC 9110's parameters ("" is "not given"). */
export const mediaTypeField = z
  .string()
  .superRefine((value, ctx) => {
    const problem = value === '' ? null : mediaTypeProblem(value);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  })
  .optional();

/** A file part's name, when given: no control characters, well-formed, not too long (see media-type.ts). */
export const fileNameField = z
  .string()
  .superRefine((value, ctx) => {
    const problem = fileNameProblem(value);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  })
  .optional();
